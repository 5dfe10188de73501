package dev.ngc4j.examples;

import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.core.Credential;
import dev.ngc4j.core.Ngc4j;
import dev.ngc4j.core.Status;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.server.NgcServer;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.server.TenantInfo;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.PrimaryRefreshToken;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The whole cloud flow on the embedded defaults, over real HTTPS on loopback: starts the ngc4j service ({@code
 * sdk-server}, embedded database, generated certificate, its test identity source on), joins this device,
 * provisions a software credential for {@code alice@contoso.example} with a PIN after she proves MFA, registers the
 * key, signs in (nonce, assertion signed with the PIN-unlocked key, PRT whose session key is unwrapped inside the
 * provider), prints the PRT's claims and lifetime, renews it, shows a typed error for a wrong PIN, prints the
 * status, and removes the credential again.
 *
 * <p>Usage: {@code CloudSignInDemo [data-directory]}; run it with {@code ./scripts/demo.sh}. Without an argument a
 * fresh temporary directory is used and deleted at the end; a given directory is kept (the service's database and
 * the device's keys stay there, the credential is removed).
 *
 * <p>Thread safety: {@link #run} may be called concurrently with different data directories.
 */
public final class CloudSignInDemo {
  /** The demo user. */
  public static final UserPrincipal USER = UserPrincipal.of("alice@contoso.example");

  /** The demo tenant's domain. */
  public static final String TENANT = "contoso.example";

  private CloudSignInDemo() {}

  /**
   * Runs the demo and prints what happens.
   *
   * @param args none, or the data directory to use (kept afterwards)
   * @throws Exception if the demo fails; the exception says which step
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 1) {
      throw new IllegalArgumentException("usage: CloudSignInDemo [data-directory]");
    }
    Result result;
    if (args.length == 1) {
      result = run(Path.of(args[0]), false, System.out);
    } else {
      result = run(Files.createTempDirectory("ngc4j-demo-"), true, System.out);
    }
    if (!result.succeeded()) {
      throw new IllegalStateException("the demo did not show what it should: " + result);
    }
  }

  /**
   * Runs the demo.
   *
   * @param dir where the service and the device keep their state
   * @param temporary whether to delete {@code dir} at the end
   * @param out where to print
   * @return what the demo observed
   * @throws Exception if a step fails unexpectedly
   */
  public static Result run(Path dir, boolean temporary, PrintStream out) throws Exception {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(out, "out");
    char[] pin = {'4', '8', '2', '9', '1', '5'};
    char[] wrongPin = {'0', '0', '0', '0', '0', '0'};
    char[] password = "correct horse battery staple".toCharArray();
    char[] mfaCode = {'2', '4', '6', '8', '1', '0'};
    Result.Builder result = new Result.Builder();
    try {
      out.println("== ngc4j demo: device join, provisioning with MFA, cloud sign-in, PRT renewal ==");
      Files.createDirectories(dir);
      try (NgcService service = NgcService.builder()
              .dataDirectory(dir.resolve("service"))
              .testIdentitySource(true)
              .build();
          NgcServer server = NgcServer.builder().service(service).https(true).start()) {
        out.println("Service: " + server.uri() + " (HTTPS with a certificate from the service's own CA, "
            + "embedded database in " + dir.resolve("service") + ")");
        TenantInfo tenant = service.tenant(TENANT).isPresent()
            ? service.tenant(TENANT).orElseThrow()
            : service.createTenant(TENANT, "Contoso (demo)");
        if (service.user(USER.upn()).isEmpty()) {
          service.createUser(TENANT, USER.upn(), "Alice", password.clone(), mfaCode.clone());
        }
        out.println("Directory: tenant " + tenant.domain() + " (" + tenant.id() + "), user " + USER);

        EntraCloudClient cloud = EntraCloudClient.builder()
            .tenant(TENANT)
            .baseUri(server.uri())
            .sslContext(server.clientSslContext())
            .stateDirectory(dir.resolve("device").resolve("cloud"))
            .deviceDisplayName("ngc4j-demo")
            .build();
        TestIdentityTokens identity = new TestIdentityTokens(server.uri(), TENANT, server.clientSslContext());
        identity.add(USER, password, mfaCode);
        try (Ngc4j ngc = Ngc4j.builder()
            .dataDirectory(dir.resolve("device"))
            .allowSoftwareKeys() // no TPM needed: the software provider, found by ServiceLoader
            .joinType(JoinType.CLOUD_JOINED)
            // Provisioning is never offered in a remote session, and this demo is often run over SSH. A real
            // application keeps the default detector (RemoteSession::fromEnvironment).
            .remoteSession(() -> false)
            .directory(cloud)
            .tokenSource(identity)
            .build()) {
          result.providerId = ngc.providerId();
          if (ngc.deprovision(USER)) {
            out.println("Removed a credential an earlier run left behind");
          }

          // 1. Join: the device key gets a certificate, the transport key is registered.
          DeviceId device = ngc.deviceId().isPresent()
              ? ngc.deviceId().orElseThrow()
              : ngc.joinDevice(identity.passwordOnly(USER));
          result.deviceId = device;
          out.println("1. Device joined: " + device + (cloud.joinedDevice().isPresent()
              ? ", certificate " + cloud.joinedDevice().orElseThrow().certificate().getSubjectX500Principal()
              : ""));

          // 2. Provision: Alice proves MFA (password + code, and the device proves itself), chooses a PIN, the
          //    key is taken from the pool and registered with the directory.
          identity.proveDevice(() -> cloud.deviceCredential(ngc.deviceKeys().orElseThrow()));
          ngc.keyPool().awaitAvailable(1, Duration.ofSeconds(30));
          AtomicInteger prompts = new AtomicInteger();
          GestureSource gestures = pinPrompt(pin, prompts, out);
          Credential credential = ngc.provision(USER, gestures);
          result.keyId = credential.keyId();
          result.registered = service.keysOfUser(USER.upn()).stream()
              .anyMatch(k -> k.deviceId().equals(device.value()));
          out.println("2. Provisioned " + credential + "; registered in the directory: " + result.registered);

          // 3. Sign in: nonce, assertion signed with the PIN-unlocked key, PRT with a protected session key.
          PrimaryRefreshToken prt = ngc.signIn(USER, gestures);
          result.signedIn = prt.hasMfaClaim();
          out.println("3. Signed in: " + prt);
          out.println("   issued " + prt.issuedAt() + ", expires " + prt.expiresAt() + " (lifetime "
              + Duration.between(prt.issuedAt(), prt.expiresAt()).toDays() + " days)");
          out.println("   authentication methods: " + prt.authenticationMethods());
          for (Map.Entry<String, String> c : prt.claims().entrySet()) {
            out.println("   claim " + c.getKey() + " = " + c.getValue());
          }

          // 4. Renew with the session key (HS256 with a KDFv2-derived key); the response is encrypted to it.
          PrimaryRefreshToken renewed = ngc.renew(prt);
          result.renewed = !renewed.token().equals(prt.token())
              && !renewed.expiresAt().isBefore(prt.expiresAt())
              && renewed.sessionKey() == prt.sessionKey();
          out.println("4. Renewed: new token, expires " + renewed.expiresAt() + ", same session key: "
              + (renewed.sessionKey() == prt.sessionKey()));

          // 5. A typed error: a wrong PIN costs an attempt and says how many are left; nothing reaches the
          //    service.
          try {
            ngc.signIn(USER, pinPrompt(wrongPin, prompts, out));
            out.println("5. Unexpected: the wrong PIN was accepted");
          } catch (UserVerificationException e) {
            result.wrongPinCode = e.code();
            result.attemptsRemaining = e.attemptsRemaining();
            out.println("5. Wrong PIN -> " + e.getClass().getSimpleName() + ": " + e.getMessage());
          }

          // 6. Status, in the spirit of dsregcmd /status.
          Status status = ngc.status(USER);
          result.prtPresent = status.user().prtPresent();
          result.allChecksPassed = status.allChecksPassed();
          out.println("6. Status:");
          out.print(status);

          // 7. Deprovision: the registration is withdrawn, then the container is deleted.
          ngc.deprovision(USER);
          result.credentialRemoved = ngc.credential(USER).isEmpty()
              && service.keysOfUser(USER.upn()).stream().noneMatch(k -> k.deviceId().equals(device.value()));
          out.println("7. Deprovisioned: key withdrawn from the directory and container deleted: "
              + result.credentialRemoved);
        } finally {
          identity.forget(USER);
        }
      }
    } finally {
      Arrays.fill(pin, '\0');
      Arrays.fill(wrongPin, '\0');
      Arrays.fill(password, '\0');
      Arrays.fill(mfaCode, '\0');
      if (temporary) {
        deleteRecursively(dir);
        out.println("Deleted the temporary data directory " + dir);
      }
    }
    Result r = result.build();
    out.println(r.succeeded() ? "Demo finished: OK" : "Demo finished: FAILED " + r);
    return r;
  }

  /** A gesture source that answers every PIN prompt with a copy of {@code pin}, as a PIN dialog would. */
  private static GestureSource pinPrompt(char[] pin, AtomicInteger prompts, PrintStream out) {
    return request -> {
      if (request.kind() != GestureKind.PIN) {
        throw new GestureCancelledException("the demo only answers PIN prompts, not " + request.kind());
      }
      prompts.incrementAndGet();
      out.println("   [gesture] " + request.providerId() + " asks for a PIN (" + request.purpose() + ")"
          + (request.attemptsRemaining().isPresent()
              ? ", " + request.attemptsRemaining().getAsInt() + " attempt(s) left" : ""));
      return Pin.of(pin);
    };
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
   * @param providerId the provider that held the keys
   * @param deviceId the directory's id of the device
   * @param keyId the provisioned key
   * @param registered whether the directory had the key for this device after provisioning
   * @param signedIn whether sign-in returned a PRT with an MFA claim
   * @param renewed whether renewal returned a new token with the same session key
   * @param wrongPinCode the code a wrong PIN produced, or null
   * @param attemptsRemaining attempts left after the wrong PIN, or -1
   * @param prtPresent whether the status showed a PRT
   * @param allChecksPassed whether every status check passed
   * @param credentialRemoved whether deprovisioning removed the container and the registration
   */
  public record Result(
      String providerId,
      @Nullable DeviceId deviceId,
      @Nullable KeyId keyId,
      boolean registered,
      boolean signedIn,
      boolean renewed,
      @Nullable ErrorCode wrongPinCode,
      int attemptsRemaining,
      boolean prtPresent,
      boolean allChecksPassed,
      boolean credentialRemoved) {

    /**
     * Returns whether the demo showed everything it should.
     *
     * @return true on success
     */
    public boolean succeeded() {
      return deviceId != null && keyId != null && registered && signedIn && renewed
          && wrongPinCode == ErrorCode.WRONG_GESTURE && attemptsRemaining > 0 && prtPresent && allChecksPassed
          && credentialRemoved;
    }

    /** Collects the observations while the demo runs. Not thread-safe. */
    private static final class Builder {
      private String providerId = "";
      private @Nullable DeviceId deviceId;
      private @Nullable KeyId keyId;
      private boolean registered;
      private boolean signedIn;
      private boolean renewed;
      private @Nullable ErrorCode wrongPinCode;
      private int attemptsRemaining = -1;
      private boolean prtPresent;
      private boolean allChecksPassed;
      private boolean credentialRemoved;

      Result build() {
        return new Result(providerId, deviceId, keyId, registered, signedIn, renewed, wrongPinCode,
            attemptsRemaining, prtPresent, allChecksPassed, credentialRemoved);
      }
    }
  }
}
