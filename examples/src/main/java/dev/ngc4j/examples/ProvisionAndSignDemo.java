package dev.ngc4j.examples;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.core.Credential;
import dev.ngc4j.core.Ngc4j;
import dev.ngc4j.core.SignatureVerifier;
import dev.ngc4j.core.Status;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.TokenSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Provisions a credential for {@code alice@contoso.example} with the software provider, signs a directory
 * challenge with RS256 and PS256, verifies both signatures the way a service does (against the <em>registered</em>
 * public key), shows a typed error for a wrong PIN, prints the status, and removes everything again.
 *
 * <p>Usage: {@code ProvisionAndSignDemo [data-directory]}. Without an argument a fresh temporary directory is used
 * and deleted at the end; a directory given as argument is kept (only the credential is removed). Run it with
 * {@code ./scripts/demo.sh} or, after {@code mvn -B install}, {@code mvn -q -B -pl examples exec:java}.
 *
 * <p>Only the public API is used: {@code provider-software} is a runtime dependency found by
 * {@link java.util.ServiceLoader}, and the directory is the in-process {@link DemoDirectory} until the cloud
 * client exists.
 *
 * <p>Thread safety: {@link #run} may be called concurrently with different data directories.
 */
public final class ProvisionAndSignDemo {
  /** The demo user. */
  public static final UserPrincipal USER = UserPrincipal.of("alice@contoso.example");

  private ProvisionAndSignDemo() {}

  /**
   * Runs the demo and prints what happens.
   *
   * @param args none, or the data directory to use (kept afterwards)
   * @throws Exception if the demo fails; the exception says which step
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 1) {
      throw new IllegalArgumentException("usage: ProvisionAndSignDemo [data-directory]");
    }
    Result result = args.length == 1 ? run(Path.of(args[0]), System.out) : run(System.out);
    if (!result.succeeded()) {
      throw new IllegalStateException("the demo did not show what it should: " + result);
    }
  }

  /**
   * Runs the demo in a fresh temporary data directory, which is deleted at the end.
   *
   * @param out where to print
   * @return what the demo observed
   * @throws NgcException if an ngc4j step fails unexpectedly
   * @throws IOException if the temporary directory cannot be created or deleted
   * @throws InterruptedException if interrupted while the key pool warms up
   */
  public static Result run(PrintStream out) throws NgcException, IOException, InterruptedException {
    Path dir = Files.createTempDirectory("ngc4j-demo-");
    return run(dir, true, out);
  }

  /**
   * Runs the demo in the given data directory, which is kept (the credential itself is removed).
   *
   * @param dataDirectory where ngc4j keeps its state; created if missing
   * @param out where to print
   * @return what the demo observed
   * @throws NgcException if an ngc4j step fails unexpectedly
   * @throws IOException never for a kept directory; declared for symmetry with {@link #run(PrintStream)}
   * @throws InterruptedException if interrupted while the key pool warms up
   */
  public static Result run(Path dataDirectory, PrintStream out)
      throws NgcException, IOException, InterruptedException {
    return run(Objects.requireNonNull(dataDirectory, "dataDirectory"), false, out);
  }

  private static Result run(Path dir, boolean temporary, PrintStream out)
      throws NgcException, IOException, InterruptedException {
    Objects.requireNonNull(out, "out");
    // The demo PIN lives in a char[] that this method owns; Pin.of copies it for each prompt and the SDK destroys
    // its copy after use. We zero ours at the end. (Zeroing in Java is best effort.)
    char[] demoPin = {'4', '8', '2', '9', '1', '5'};
    char[] wrongPin = {'0', '0', '0', '0', '0', '0'};
    DemoDirectory directory = new DemoDirectory();
    Result.Builder result = new Result.Builder(dir);
    try {
      out.println("== ngc4j demo: provision, sign, verify, deprovision ==");
      out.println("Data directory: " + dir + (temporary ? " (temporary)" : ""));
      try (Ngc4j ngc = Ngc4j.builder()
          .dataDirectory(dir)
          .allowSoftwareKeys() // the software provider is discovered by ServiceLoader; no TPM needed
          .joinType(JoinType.CLOUD_JOINED)
          // Provisioning is never offered in a remote session, and this demo is often run over SSH. A real
          // application keeps the default detector (RemoteSession::fromEnvironment).
          .remoteSession(() -> false)
          .directory(directory)
          .tokenSource(mfaTokens())
          .build()) {
        result.providerId = ngc.providerId();
        out.println("Provider: " + ngc.providerId());
        if (ngc.deprovision(USER)) {
          out.println("Removed a credential an earlier run left in " + dir);
        }
        boolean warm = ngc.keyPool().awaitAvailable(1, Duration.ofSeconds(30));
        out.println("Key pool: " + (warm ? "a pre-generated key is ready" : "still empty, provisioning will generate"));

        // 1. Provision: the provider asks for a new PIN through the gesture source.
        AtomicInteger prompts = new AtomicInteger();
        GestureSource gestures = pinPrompt(demoPin, prompts, out);
        Credential credential = ngc.provision(USER, gestures);
        KeyId keyId = credential.keyId();
        result.keyId = keyId;
        out.println("Provisioned " + credential);

        // 2. The service sends a challenge; the client signs it with RS256 and PS256.
        byte[] challenge = directory.nonce().toByteArray();
        out.println("Challenge from the directory: " + challenge.length + " random bytes");
        byte[] rs256 = credential.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, challenge, gestures);
        byte[] ps256 = credential.sign(SignatureAlgorithm.RSA_PSS_SHA256, challenge, gestures);

        // 3. The service verifies against the key it registered, not against what the client claims.
        PublicKey registered = directory.registeredKey(USER, keyId)
            .orElseThrow(() -> new IllegalStateException("the directory does not know key " + keyId.shortForm()));
        result.rs256Verified =
            SignatureVerifier.verify(SignatureAlgorithm.RSA_PKCS1_SHA256, registered, challenge, rs256);
        result.ps256Verified =
            SignatureVerifier.verify(SignatureAlgorithm.RSA_PSS_SHA256, registered, challenge, ps256);
        byte[] tampered = challenge.clone();
        tampered[0] ^= 1;
        result.tamperedRejected =
            !SignatureVerifier.verify(SignatureAlgorithm.RSA_PKCS1_SHA256, registered, tampered, rs256);
        out.println("RS256 signature (" + rs256.length + " bytes) verified against the registered key: "
            + result.rs256Verified);
        out.println("PS256 signature (" + ps256.length + " bytes) verified against the registered key: "
            + result.ps256Verified);
        out.println("Signature over a tampered challenge rejected: " + result.tamperedRejected);

        // 4. A typed error: a wrong PIN costs an attempt and says how many are left.
        try {
          credential.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, challenge, pinPrompt(wrongPin, prompts, out));
          out.println("Unexpected: the wrong PIN was accepted");
        } catch (UserVerificationException e) {
          result.wrongPinCode = e.code();
          result.attemptsRemaining = e.attemptsRemaining();
          out.println("Wrong PIN -> " + e.getClass().getSimpleName() + " code=" + e.code()
              + " attemptsRemaining=" + e.attemptsRemaining());
          out.println("  message: " + e.getMessage());
        }
        out.println("Gesture prompts answered: " + prompts.get());

        // 5. Status, in the spirit of dsregcmd /status.
        Status status = ngc.status(USER);
        result.statusText = status.toString();
        result.ngcSet = status.user().credentialSet();
        out.println();
        out.print(status);
        out.println();

        // 6. Deprovision: the registration is withdrawn, then the container and the record are deleted.
        boolean removed = ngc.deprovision(USER);
        result.credentialRemoved = removed
            && ngc.credential(USER).isEmpty()
            && !ngc.status(USER).user().credentialSet();
        result.registrationRemoved = directory.registeredKeys(USER).isEmpty();
        out.println("Deprovisioned: credential removed=" + result.credentialRemoved
            + ", registration removed=" + result.registrationRemoved);
      }
    } finally {
      Arrays.fill(demoPin, '\0');
      Arrays.fill(wrongPin, '\0');
      if (temporary) {
        deleteRecursively(dir);
        result.dataDirectoryDeleted = Files.notExists(dir);
        out.println("Deleted the temporary data directory: " + result.dataDirectoryDeleted);
      }
    }
    Result r = result.build();
    out.println(r.succeeded() ? "Demo finished: OK" : "Demo finished: FAILED " + r);
    return r;
  }

  /** A gesture source that answers every PIN prompt with a copy of {@code pin}, as a PIN dialog would. */
  private static GestureSource pinPrompt(char[] pin, AtomicInteger prompts, PrintStream out) {
    return (GestureRequest request) -> {
      if (request.kind() != GestureKind.PIN) {
        throw new GestureCancelledException("the demo only answers PIN prompts, not " + request.kind());
      }
      prompts.incrementAndGet();
      out.println("  [gesture] " + request.providerId() + " asks for a PIN (" + request.purpose() + ") for "
          + request.user()
          + (request.attemptsRemaining().isPresent()
              ? ", " + request.attemptsRemaining().getAsInt() + " attempt(s) left"
              : ""));
      return Pin.of(pin);
    };
  }

  /**
   * A stand-in for the user's sign-in: the token a real app gets from its identity provider after MFA. Here it is
   * made up, with the {@code mfa} claim the directory requires.
   */
  private static TokenSource mfaTokens() {
    return user -> AccessToken.of(
        "demo-token-" + UUID.randomUUID(), user, Set.of("pwd", "mfa"), Instant.now().plus(Duration.ofMinutes(10)));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.notExists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * What one run of the demo observed.
   *
   * @param dataDirectory the data directory used
   * @param providerId the provider that held the key
   * @param keyId the id of the provisioned key
   * @param rs256Verified whether the RS256 signature verified against the registered key
   * @param ps256Verified whether the PS256 signature verified against the registered key
   * @param tamperedRejected whether a signature over a modified challenge was rejected
   * @param wrongPinCode the error code a wrong PIN produced, or {@code null} if none was thrown
   * @param attemptsRemaining attempts left after the wrong PIN, or -1
   * @param ngcSet whether the status showed the credential as set ({@code NgcSet YES})
   * @param statusText the printed status
   * @param credentialRemoved whether the credential was gone after deprovisioning
   * @param registrationRemoved whether the directory no longer had the key after deprovisioning
   * @param dataDirectoryDeleted whether the temporary data directory was deleted (false for a kept directory)
   */
  public record Result(
      Path dataDirectory,
      String providerId,
      KeyId keyId,
      boolean rs256Verified,
      boolean ps256Verified,
      boolean tamperedRejected,
      @Nullable ErrorCode wrongPinCode,
      int attemptsRemaining,
      boolean ngcSet,
      String statusText,
      boolean credentialRemoved,
      boolean registrationRemoved,
      boolean dataDirectoryDeleted) {

    /**
     * Returns whether the demo showed everything it should: both signatures verified, the tampered one did not,
     * the wrong PIN was a {@link ErrorCode#WRONG_GESTURE}, the status showed the credential, and it was removed.
     *
     * @return true on success
     */
    public boolean succeeded() {
      return rs256Verified && ps256Verified && tamperedRejected
          && wrongPinCode == ErrorCode.WRONG_GESTURE && attemptsRemaining > 0 && ngcSet && credentialRemoved
          && registrationRemoved;
    }

    /** Collects the observations while the demo runs. Not thread-safe. */
    private static final class Builder {
      private final Path dataDirectory;
      private String providerId = "";
      private @Nullable KeyId keyId;
      private boolean rs256Verified;
      private boolean ps256Verified;
      private boolean tamperedRejected;
      private @Nullable ErrorCode wrongPinCode;
      private int attemptsRemaining = -1;
      private boolean ngcSet;
      private String statusText = "";
      private boolean credentialRemoved;
      private boolean registrationRemoved;
      private boolean dataDirectoryDeleted;

      Builder(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
      }

      Result build() {
        return new Result(dataDirectory, providerId, Objects.requireNonNull(keyId, "keyId"), rs256Verified,
            ps256Verified, tamperedRejected, wrongPinCode, attemptsRemaining, ngcSet, statusText, credentialRemoved,
            registrationRemoved, dataDirectoryDeleted);
      }
    }
  }
}
