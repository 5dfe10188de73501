package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.UserPrincipal;
import java.time.Instant;

/**
 * The fields every container record starts with:
 *
 * <pre>
 * str     container id               (u16 length + UTF-8)
 * str     user principal name
 * instant created                    (i64 epoch seconds + i32 nanoseconds)
 * </pre>
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param id the container id
 * @param user the user
 * @param created when the container was created
 */
public record ContainerHeader(ContainerId id, UserPrincipal user, Instant created) {
  /**
   * Appends the fields.
   *
   * @param w the writer
   * @return the writer
   */
  public ByteWriter writeTo(ByteWriter w) {
    return w.str(id.value()).str(user.upn()).instant(created);
  }

  /**
   * Reads the fields and checks the id and the user principal name.
   *
   * @param r the reader
   * @return the header
   * @throws ByteReader.MalformedException if truncated or invalid
   */
  public static ContainerHeader readFrom(ByteReader r) throws ByteReader.MalformedException {
    ContainerId id;
    try {
      id = ContainerId.of(r.str());
    } catch (IllegalArgumentException e) {
      throw new ByteReader.MalformedException("invalid container id");
    }
    UserPrincipal user;
    try {
      user = UserPrincipal.of(r.str());
    } catch (IllegalArgumentException e) {
      throw new ByteReader.MalformedException("invalid user principal name");
    }
    return new ContainerHeader(id, user, r.instant());
  }
}
