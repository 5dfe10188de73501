package dev.ngc4j.core.internal.krb.fuzz;

import dev.ngc4j.core.internal.krb.msg.DhRepInfo;
import dev.ngc4j.core.internal.krb.msg.EncKdcRepPart;
import dev.ngc4j.core.internal.krb.msg.EncryptedData;
import dev.ngc4j.core.internal.krb.msg.EncryptionKey;
import dev.ngc4j.core.internal.krb.msg.EtypeInfo2Entry;
import dev.ngc4j.core.internal.krb.msg.HostAddress;
import dev.ngc4j.core.internal.krb.msg.KdcDhKeyInfo;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.Krb5PrincipalName;
import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbErrorCode;
import dev.ngc4j.core.internal.krb.msg.LastReqEntry;
import dev.ngc4j.core.internal.krb.msg.MessageType;
import dev.ngc4j.core.internal.krb.msg.PaData;
import dev.ngc4j.core.internal.krb.msg.PaDataType;
import dev.ngc4j.core.internal.krb.msg.PaPkAsRep;
import dev.ngc4j.core.internal.krb.msg.PkinitOids;
import dev.ngc4j.core.internal.krb.msg.PrincipalName;
import dev.ngc4j.core.internal.krb.msg.Ticket;
import dev.ngc4j.core.internal.krb.msg.TypedData;
import dev.ngc4j.core.internal.krb.pkinit.DhGroup;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The seed corpus of {@link KrbReplyDecodersFuzzTest}: valid messages of every decoded type, built with the message
 * classes' own encoders and builders (this class), plus real messages captured from MIT krb5kdc
 * ({@link MitKdcCapture}, files named {@code mit-*}). Seeds are files in
 * {@code src/test/resources/dev/ngc4j/core/internal/krb/fuzz/KrbReplyDecodersFuzzTestInputs/<method>/}, one
 * directory per fuzz test method, as Jazzer reads them; the {@code allDecoders} directory holds every other
 * directory's seeds behind their target's selector byte ({@link DecoderTarget#dispatch(byte[])}).
 *
 * <p>{@link #main(String[])} rewrites the built seeds and the {@code allDecoders} directory (run it after the message
 * classes change, or after {@link MitKdcCapture}); {@link FuzzSeedsTest} checks that every seed on disk is still
 * accepted by its decoder.
 *
 * <p>Thread safety: not applicable (static factory and program entry point).
 */
final class FuzzSeeds {
  /** Where the seed directories live, relative to the sdk-core module. */
  static final Path INPUTS = Path.of("src/test/resources/dev/ngc4j/core/internal/krb/fuzz",
      "KrbReplyDecodersFuzzTestInputs");
  /** The fuzz test method (and seed directory) that dispatches on the first byte. */
  static final String ALL = "allDecoders";
  /** The prefix of seeds captured from MIT krb5kdc. */
  static final String MIT_PREFIX = "mit-";

  private static final String REALM = "WHFB.TEST";
  private static final Instant T0 = Instant.parse("2026-11-22T10:15:30Z");
  private static final PrincipalName ALICE = PrincipalName.parse("alice");
  private static final PrincipalName KRBTGT = PrincipalName.krbtgt(REALM);
  private static final int AES256 = 18;
  private static final int AES128_SHA256 = 19;

  private FuzzSeeds() {}

  /**
   * Returns the fuzz test method (and seed directory name) of a target.
   *
   * @param target the target
   * @return the method name, such as {@code krbError}
   */
  static String methodName(DecoderTarget target) {
    String[] words = target.name().toLowerCase(Locale.ROOT).split("_", -1);
    StringBuilder out = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return out.toString();
  }

  /**
   * Builds the seeds of every target.
   *
   * @return per target, seed name to bytes (names end in {@code .der})
   * @throws GeneralSecurityException if the test KDC key cannot be made
   */
  static Map<DecoderTarget, Map<String, byte[]>> build() throws GeneralSecurityException {
    Map<DecoderTarget, Map<String, byte[]>> seeds = new EnumMap<>(DecoderTarget.class);
    for (DecoderTarget t : DecoderTarget.values()) {
      seeds.put(t, new LinkedHashMap<>());
    }
    KdcDhKeyInfo keyInfo = KdcDhKeyInfo.of(DhGroup.MODP_2048.p().subtract(BigInteger.valueOf(12345)),
        0x8badf00d, T0.plus(Duration.ofHours(1)));
    byte[] signedData = signedData(keyInfo.encode());
    DhRepInfo dhInfo = new DhRepInfo(signedData, bytes("server-dh-nonce", 32), PkinitOids.KDF_SHA256);
    PaPkAsRep pkAsRep = PaPkAsRep.ofDhInfo(dhInfo);

    Ticket ticket = new Ticket(REALM, KRBTGT, new EncryptedData(AES256, 2, bytes("ticket", 300)));
    EncryptedData encPart = new EncryptedData(AES256, null, bytes("enc-part", 200));
    List<PaData> etypeInfo = List.of(new PaData(PaDataType.PA_ETYPE_INFO2, EtypeInfo2Entry.encodeList(List.of(
        new EtypeInfo2Entry(AES256, REALM + "alice", null),
        new EtypeInfo2Entry(AES128_SHA256, REALM + "alice", new byte[] {0, 0, (byte) 0x80, 0})))));

    put(seeds, DecoderTarget.AS_REP, "pkinit-dh",
        new KdcRep(MessageType.AS_REP, List.of(pkAsRep.toPaData()), REALM, ALICE, ticket, encPart).encode());
    put(seeds, DecoderTarget.AS_REP, "etype-info2",
        new KdcRep(MessageType.AS_REP, etypeInfo, REALM, ALICE, ticket, encPart).encode());
    put(seeds, DecoderTarget.TGS_REP, "service",
        new KdcRep(MessageType.TGS_REP, List.of(), REALM, ALICE,
            new Ticket(REALM, PrincipalName.parse("host/localhost", PrincipalName.NT_SRV_HST),
                new EncryptedData(AES128_SHA256, 1, bytes("service-ticket", 250))),
            new EncryptedData(AES256, null, bytes("tgs-enc-part", 180))).encode());

    List<PaData> methodData = new ArrayList<>();
    methodData.add(new PaData(PaDataType.PA_PK_AS_REQ, new byte[0]));
    methodData.add(new PaData(PaDataType.PA_AS_FRESHNESS, bytes("freshness-token", 64)));
    methodData.add(new PaData(PaDataType.PA_FX_FAST, new byte[0]));
    methodData.addAll(etypeInfo);
    byte[] methodDataDer = PaData.encodeMethodData(methodData);
    put(seeds, DecoderTarget.METHOD_DATA, "preauth-required", methodDataDer);
    put(seeds, DecoderTarget.KRB_ERROR, "preauth-required", KrbError.builder()
        .ctime(T0, 123_456)
        .stime(T0.plusSeconds(1), 999_999)
        .errorCode(KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED)
        .client(REALM, ALICE)
        .service(REALM, KRBTGT)
        .eText("Additional pre-authentication required")
        .eData(methodDataDer)
        .build().encode());
    DhGroup group = DhGroup.MODP_2048;
    byte[] dhParams = dhParameters(group);
    byte[] typedData = TypedData.encodeList(List.of(new TypedData(TypedData.TD_DH_PARAMETERS, dhParams)));
    put(seeds, DecoderTarget.TYPED_DATA, "td-dh-parameters", typedData);
    put(seeds, DecoderTarget.TYPED_DATA, "td-trusted-certifiers-absent-value",
        TypedData.encodeList(List.of(new TypedData(TypedData.TD_TRUSTED_CERTIFIERS, new byte[0]),
            new TypedData(TypedData.TD_INVALID_CERTIFICATES, bytes("certificates", 40)))));
    put(seeds, DecoderTarget.KRB_ERROR, "dh-key-parameters-not-accepted", KrbError.builder()
        .stime(T0, 0)
        .errorCode(KrbErrorCode.KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED)
        .service(REALM, KRBTGT)
        .eData(typedData)
        .build().encode());
    put(seeds, DecoderTarget.KRB_ERROR, "client-not-trusted-minimal", KrbError.builder()
        .stime(T0, 42)
        .errorCode(KrbErrorCode.KDC_ERR_CLIENT_NOT_TRUSTED)
        .service(REALM, KRBTGT)
        .build().encode());

    put(seeds, DecoderTarget.ENC_KDC_REP_PART, "as-rep-part-all-fields", EncKdcRepPart.builder()
        .applicationTag(EncKdcRepPart.ENC_AS_REP_PART)
        .key(new EncryptionKey(AES256, bytes("session-key", 32)))
        .lastReq(List.of(new LastReqEntry(0, T0)))
        .nonce(0x7fedcba9)
        .keyExpiration(T0.plus(Duration.ofDays(90)))
        .flags(0x40e10000)
        .authtime(T0)
        .starttime(T0)
        .endtime(T0.plus(Duration.ofHours(10)))
        .renewTill(T0.plus(Duration.ofDays(7)))
        .srealm(REALM)
        .sname(KRBTGT)
        .caddr(List.of(new HostAddress(HostAddress.IPV4, new byte[] {127, 0, 0, 1})))
        .encryptedPaData(List.of(new PaData(PaDataType.PA_SUPPORTED_ENCTYPES, new byte[] {0x1f, 0, 0, 0})))
        .build().encode());
    put(seeds, DecoderTarget.ENC_KDC_REP_PART, "tgs-rep-part-minimal", EncKdcRepPart.builder()
        .key(new EncryptionKey(AES128_SHA256, bytes("service-key", 16)))
        .nonce(-2)
        .authtime(T0)
        .endtime(T0.plus(Duration.ofHours(10)))
        .srealm(REALM)
        .sname(PrincipalName.parse("host/localhost", PrincipalName.NT_SRV_HST))
        .build().encode());

    put(seeds, DecoderTarget.PA_PK_AS_REP, "dh-kdf-nonce", pkAsRep.encode());
    put(seeds, DecoderTarget.PA_PK_AS_REP, "dh-plain",
        PaPkAsRep.ofDhInfo(new DhRepInfo(signedData, null, null)).encode());
    put(seeds, DecoderTarget.PA_PK_AS_REP, "enc-key-pack", PaPkAsRep.ofEncKeyPack(signedData).encode());
    put(seeds, DecoderTarget.KDC_DH_KEY_INFO, "with-expiry", keyInfo.encode());
    put(seeds, DecoderTarget.KDC_DH_KEY_INFO, "without-expiry",
        KdcDhKeyInfo.of(BigInteger.TWO.pow(2047).add(BigInteger.valueOf(99)), 7, null).encode());
    put(seeds, DecoderTarget.TICKET, "krbtgt", ticket.encode());
    put(seeds, DecoderTarget.KRB5_PRINCIPAL_NAME, "krbtgt", new Krb5PrincipalName(REALM, KRBTGT).encode());
    put(seeds, DecoderTarget.KRB5_PRINCIPAL_NAME, "enterprise", new Krb5PrincipalName(REALM,
        new PrincipalName(PrincipalName.NT_ENTERPRISE, List.of("alice@contoso.example"))).encode());
    put(seeds, DecoderTarget.PKINIT_SIGNED_DATA, "kdc-dh-key-data", signedData);
    return seeds;
  }

  private static void put(Map<DecoderTarget, Map<String, byte[]>> seeds, DecoderTarget target, String name,
      byte[] bytes) {
    seeds.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(name + ".der", bytes);
  }

  /** Deterministic filler bytes, so that rewriting the seeds changes only what really changed. */
  private static byte[] bytes(String label, int length) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] out = new byte[length];
      byte[] block = sha.digest(label.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < length; i++) {
        if (i > 0 && i % block.length == 0) {
          block = sha.digest(block);
        }
        out[i] = block[i % block.length];
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** TD-DH-PARAMETERS: SEQUENCE OF AlgorithmIdentifier { dhpublicnumber, DomainParameters { p, g, q } }. */
  private static byte[] dhParameters(DhGroup group) {
    try {
      ASN1EncodableVector domain = new ASN1EncodableVector();
      domain.add(new ASN1Integer(group.p()));
      domain.add(new ASN1Integer(group.g()));
      domain.add(new ASN1Integer(group.q()));
      AlgorithmIdentifier alg = new AlgorithmIdentifier(new ASN1ObjectIdentifier(TypedData.DH_PUBLIC_NUMBER),
          new DERSequence(domain));
      return new DERSequence(alg).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A KDC's SignedData over a KDCDHKeyInfo, signed SHA256withRSA by a self-signed certificate it carries. */
  private static byte[] signedData(byte[] content) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
      X500Name name = new X500Name("CN=kdc.whfb.test,O=ngc4j fuzz seeds");
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(7), Date.from(T0.minus(Duration.ofDays(1))),
              Date.from(T0.plus(Duration.ofDays(3650))), name, keys.getPublic()).build(signer));
      CMSSignedDataGenerator cms = new CMSSignedDataGenerator();
      cms.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
          .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()), certificate));
      cms.addCertificate(new JcaX509CertificateHolder(certificate));
      return cms.generate(new CMSProcessableByteArray(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, content), true)
          .toASN1Structure().getEncoded(ASN1Encoding.DER);
    } catch (OperatorCreationException | CMSException | IOException e) {
      throw new GeneralSecurityException("the seed SignedData could not be built", e);
    }
  }

  /**
   * Reads every seed on disk of one target directory.
   *
   * @param inputs the inputs directory
   * @param method the fuzz test method name
   * @return file name to bytes, sorted by name
   * @throws IOException if a file cannot be read
   */
  static Map<String, byte[]> read(Path inputs, String method) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Path dir = inputs.resolve(method);
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }

  /**
   * Returns what the {@code allDecoders} directory must hold: every target's seeds behind its selector byte, named
   * {@code <method>-<seed name>}.
   *
   * @param inputs the inputs directory
   * @return file name to bytes
   * @throws IOException if a file cannot be read
   */
  static Map<String, byte[]> dispatcherSeeds(Path inputs) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (DecoderTarget target : DecoderTarget.values()) {
      for (Map.Entry<String, byte[]> seed : read(inputs, methodName(target)).entrySet()) {
        byte[] bytes = new byte[seed.getValue().length + 1];
        bytes[0] = target.selector();
        System.arraycopy(seed.getValue(), 0, bytes, 1, seed.getValue().length);
        out.put(methodName(target) + "-" + seed.getKey(), bytes);
      }
    }
    return out;
  }

  /**
   * Rewrites the built seeds (keeping captured {@code mit-*} seeds and Jazzer's crash files) and the
   * {@code allDecoders} directory. Run from the sdk-core directory, with the test class path.
   *
   * @param args optional: the inputs directory (default {@link #INPUTS})
   * @throws Exception if a seed cannot be built or written
   */
  public static void main(String[] args) throws Exception {
    Path inputs = args.length > 0 ? Path.of(args[0]) : INPUTS;
    for (Map.Entry<DecoderTarget, Map<String, byte[]>> target : build().entrySet()) {
      Path dir = Files.createDirectories(inputs.resolve(methodName(target.getKey())));
      for (Map.Entry<String, byte[]> seed : target.getValue().entrySet()) {
        Files.write(dir.resolve(seed.getKey()), seed.getValue());
      }
    }
    writeDispatcherSeeds(inputs);
  }

  /**
   * Replaces the {@code allDecoders} seeds (not its crash files) with {@link #dispatcherSeeds(Path)}.
   *
   * @param inputs the inputs directory
   * @throws IOException if writing fails
   */
  static void writeDispatcherSeeds(Path inputs) throws IOException {
    Path all = Files.createDirectories(inputs.resolve(ALL));
    try (Stream<Path> old = Files.list(all)) {
      for (Path f : old.filter(p -> p.getFileName().toString().endsWith(".der")).toList()) {
        Files.delete(f);
      }
    }
    for (Map.Entry<String, byte[]> seed : dispatcherSeeds(inputs).entrySet()) {
      Files.write(all.resolve(seed.getKey()), seed.getValue());
    }
  }
}
