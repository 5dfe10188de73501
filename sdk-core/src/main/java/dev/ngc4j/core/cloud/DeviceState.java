package dev.ngc4j.core.cloud;

import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.jspecify.annotations.Nullable;

/**
 * The joined device's state in the client's state directory: one JSON file, {@value #FILE}, written atomically and
 * owner-only, holding the device id, the tenant and the device certificate (standard base64 DER). Nothing in it is
 * secret (the device key stays in the provider), but it is what makes this machine the joined device, so it is kept
 * out of other users' reach.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class DeviceState {
  static final String FILE = "joined-device.json";
  private static final int VERSION = 1;
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private final Path directory;
  private @Nullable JoinedDevice cached;
  private boolean loaded;

  DeviceState(Path directory) {
    this.directory = directory;
  }

  Path file() {
    return directory.resolve(FILE);
  }

  /** Returns the stored device, reading the file once. */
  synchronized Optional<JoinedDevice> load() throws NgcException {
    if (!loaded) {
      cached = read();
      loaded = true;
    }
    return Optional.ofNullable(cached);
  }

  /** Stores the device, replacing any earlier one atomically. */
  synchronized void store(JoinedDevice device, String tenant) throws NgcException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", VERSION);
    json.put("tenant", tenant);
    json.put("deviceId", device.deviceId().toString());
    try {
      json.put("certificate", Base64.getEncoder().encodeToString(device.certificate().getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new NgcException(ErrorCode.CLOUD_ERROR, "The device certificate cannot be encoded: " + e, e);
    }
    try {
      AtomicFiles.ownerOnlyDirectory(directory);
      AtomicFiles.write(file(), Json.write(json).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE,
          "The joined device could not be stored in " + file() + ": " + e, e);
    }
    cached = device;
    loaded = true;
  }

  private @Nullable JoinedDevice read() throws NgcException {
    Path file = file();
    byte[] data;
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw damaged(file, "it is larger than " + MAX_FILE_BYTES + " bytes");
      }
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "The joined device state " + file + " cannot be read: " + e,
          e);
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(data);
    } catch (Json.MalformedJsonException e) {
      throw damaged(file, "it is not a JSON object");
    }
    if (!Json.integer(json, "version").equals(Optional.of((long) VERSION))) {
      throw damaged(file, "its format version is not " + VERSION);
    }
    String id = Json.string(json, "deviceId").orElseThrow(() -> damaged(file, "it names no device id"));
    byte[] der;
    try {
      der = Base64.getDecoder().decode(
          Json.string(json, "certificate").orElseThrow(() -> damaged(file, "it holds no certificate")));
    } catch (IllegalArgumentException e) {
      throw damaged(file, "its certificate is not base64");
    }
    JoinedDevice device;
    try {
      device = fromCertificate(der);
    } catch (NgcException e) {
      throw damaged(file, e.detail());
    }
    if (!device.deviceId().toString().equals(id)) {
      throw damaged(file, "its device id does not match its certificate");
    }
    return device;
  }

  /**
   * Parses a device certificate: exactly one DER X.509 certificate, no trailing bytes, whose subject has exactly one
   * CN, a GUID, which is the device id.
   *
   * @throws NgcException {@code CLOUD_ERROR} if it is not such a certificate
   */
  static JoinedDevice fromCertificate(byte[] der) throws NgcException {
    X509Certificate certificate;
    try (InputStream in = new ByteArrayInputStream(der)) {
      Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
      if (!(c instanceof X509Certificate x509) || !Arrays.equals(x509.getEncoded(), der)) {
        throw invalidCertificate("it is not exactly one DER X.509 certificate");
      }
      certificate = x509;
    } catch (CertificateException | IOException e) {
      throw invalidCertificate("it does not parse as an X.509 certificate");
    }
    try {
      RDN[] cns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
      if (cns.length != 1 || cns[0].isMultiValued()) {
        throw invalidCertificate("its subject does not have exactly one CN");
      }
      String cn = IETFUtils.valueToString(cns[0].getFirst().getValue());
      UUID uuid = UUID.fromString(cn);
      if (!uuid.toString().equals(cn.toLowerCase(Locale.ROOT))) {
        throw invalidCertificate("its subject CN is not a canonical GUID");
      }
      return new JoinedDevice(new DeviceId(uuid), certificate);
    } catch (IllegalArgumentException e) {
      throw invalidCertificate("its subject CN is not a device id (GUID)");
    }
  }

  private static NgcException invalidCertificate(String why) {
    return new NgcException(ErrorCode.CLOUD_ERROR, "The device certificate is not usable: " + why,
        "join the device again", null);
  }

  private static NgcException damaged(Path file, String why) {
    return new NgcException(ErrorCode.STORAGE_FAILURE, "The joined device state " + file + " is damaged: " + why,
        "join the device again, which replaces the file", null);
  }
}
