package dev.ngc4j.provider.tpm.internal.attest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tss.TpmBuffer;
import tss.Tss;
import tss.tpm.TPMT_PUBLIC;

/**
 * The directory's half of credential activation, made with TSS.Java's software TPM2_MakeCredential
 * ({@code tss.Tss.createActivationCredential}) in a child JVM: TSS.Java's crypto class registers BouncyCastle with
 * {@code Security.addProvider} when it loads, which must never happen in the JVM that runs the provider (see
 * {@code TpmCredentialProviderTest}). The child is this class's {@link #main}; the parent is {@link #make}.
 *
 * <p>Protocol: arguments are the EK's TPMT_PUBLIC, then pairs of (AK name, secret), all base64. The child prints one
 * line per pair, {@code base64(TPM2B_ID_OBJECT body) base64(encrypted secret)}, then {@code done}.
 */
final class MakeCredential {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private MakeCredential() {}

  /** One credential to make: encrypt {@code secret} to the EK, bound to the AK {@code akName}. */
  static final class Request {
    private final byte[] akName;
    private final byte[] secret;

    Request(byte[] akName, byte[] secret) {
      this.akName = akName.clone();
      this.secret = secret.clone();
    }
  }

  /** A made credential: the TPM2B_ID_OBJECT body and the TPM2B_ENCRYPTED_SECRET body. */
  static final class Credential {
    private final byte[] blob;
    private final byte[] encryptedSecret;

    Credential(byte[] blob, byte[] encryptedSecret) {
      this.blob = blob;
      this.encryptedSecret = encryptedSecret;
    }

    byte[] blob() {
      return blob.clone();
    }

    byte[] encryptedSecret() {
      return encryptedSecret.clone();
    }
  }

  /** Child JVM entry point. */
  public static void main(String[] args) {
    Base64.Decoder b64 = Base64.getDecoder();
    Base64.Encoder enc = Base64.getEncoder();
    TPMT_PUBLIC ek = TPMT_PUBLIC.fromBytes(b64.decode(args[0]));
    StringBuilder out = new StringBuilder();
    for (int i = 1; i + 1 < args.length; i += 2) {
      Tss.ActivationCredential c = Tss.createActivationCredential(ek, b64.decode(args[i]), b64.decode(args[i + 1]));
      TpmBuffer blob = new TpmBuffer();
      c.CredentialBlob.toTpm(blob);
      out.append(enc.encodeToString(blob.trim())).append(' ')
          .append(enc.encodeToString(c.Secret)).append('\n');
    }
    out.append("done ").append(Security.getProvider("BC") != null ? "bc-registered" : "bc-absent").append('\n');
    System.out.print(out);
    System.out.flush();
  }

  /**
   * Makes credentials in a child JVM (about a second for the JVM start).
   *
   * @param ekPublicArea the EK's TPMT_PUBLIC
   * @param requests what to make
   * @return one credential per request, in order
   */
  static List<Credential> make(byte[] ekPublicArea, List<Request> requests) throws Exception {
    Base64.Encoder enc = Base64.getEncoder();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(MakeCredential.class.getName());
    command.add(enc.encodeToString(ekPublicArea));
    for (Request r : requests) {
      command.add(enc.encodeToString(r.akName));
      command.add(enc.encodeToString(r.secret));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the MakeCredential child JVM did not finish within " + DEADLINE);
    }
    String text = output.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    if (p.exitValue() != 0) {
      throw new AssertionError("the MakeCredential child JVM failed (exit " + p.exitValue() + "):\n" + text);
    }
    List<Credential> made = new ArrayList<>();
    boolean done = false;
    for (String line : (Iterable<String>) text.lines()::iterator) {
      if (line.startsWith("done ")) {
        done = true;
      } else if (!line.isBlank() && !done) {
        String[] parts = line.trim().split(" ", -1);
        if (parts.length != 2) {
          throw new AssertionError("unexpected line from the MakeCredential child: " + line + "\n" + text);
        }
        made.add(new Credential(Base64.getDecoder().decode(parts[0]), Base64.getDecoder().decode(parts[1])));
      }
    }
    if (!done || made.size() != requests.size()) {
      throw new AssertionError("the MakeCredential child made " + made.size() + " of " + requests.size()
          + " credentials:\n" + text);
    }
    return made;
  }

  private static String readAll(InputStream in) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
