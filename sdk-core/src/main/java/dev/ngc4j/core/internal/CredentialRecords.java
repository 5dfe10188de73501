package dev.ngc4j.core.internal;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The journal of provisioned credentials: one small file per user, written PENDING before the container is
 * created and COMPLETE only after the key is registered, so that recovery can tell a finished credential from
 * the remains of a crash.
 */
public final class CredentialRecords {
  /** The state of a record. */
  public enum State {
    /** Provisioning started and did not finish. */
    PENDING,
    /** The container exists and its key is registered (or no directory is configured). */
    COMPLETE
  }

  /** One user's record. */
  public record UserRecord(
      UserPrincipal user, ContainerId container, String providerId, State state, Optional<String> keyId,
      boolean registered, Instant updated) {}

  private final Path dir;

  public CredentialRecords(Path dir) {
    this.dir = dir;
  }

  /** The container id used for a user on this device: stable, file-name safe, one per user. */
  public static ContainerId containerIdFor(UserPrincipal user) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(user.upn().getBytes(StandardCharsets.UTF_8));
      return ContainerId.of("ngc-" + HexFormat.of().formatHex(h, 0, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void write(UserRecord r) throws NgcException {
    TreeMap<String, String> p = new TreeMap<>();
    p.put("user", r.user().upn());
    p.put("container", r.container().value());
    p.put("provider", r.providerId());
    p.put("state", r.state().name());
    r.keyId().ifPresent(k -> p.put("keyId", k));
    p.put("registered", Boolean.toString(r.registered()));
    p.put("updated", r.updated().toString());
    StringBuilder sb = new StringBuilder("# ngc4j credential record v1\n");
    p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    try {
      AtomicFiles.write(file(r.container()), sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "Could not write credential record " + file(r.container()), e);
    }
  }

  public Optional<UserRecord> read(UserPrincipal user) throws NgcException {
    return read(file(containerIdFor(user)));
  }

  public List<UserRecord> all() throws NgcException {
    List<UserRecord> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.record")) {
      for (Path f : ds) {
        read(f).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "Could not list credential records in " + dir, e);
    }
    return out;
  }

  public void delete(ContainerId container) throws NgcException {
    try {
      AtomicFiles.delete(file(container));
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "Could not delete credential record " + file(container), e);
    }
  }

  private Path file(ContainerId container) {
    return dir.resolve(container.value() + ".record");
  }

  private static Optional<UserRecord> read(Path f) throws NgcException {
    String text;
    try {
      text = Files.readString(f, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "Could not read credential record " + f, e);
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
      return Optional.of(new UserRecord(
          UserPrincipal.of(required(p, "user")),
          ContainerId.of(required(p, "container")),
          required(p, "provider"),
          State.valueOf(required(p, "state")),
          Optional.ofNullable(p.getProperty("keyId")),
          Boolean.parseBoolean(required(p, "registered")),
          Instant.parse(required(p, "updated"))));
    } catch (IOException | RuntimeException e) {
      throw new NgcException(
          ErrorCode.CONTAINER_CORRUPTED,
          "Credential record " + f + " is damaged (" + e.getMessage() + ")",
          "the file was left untouched; remove it and provision the user again",
          e);
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }
}
