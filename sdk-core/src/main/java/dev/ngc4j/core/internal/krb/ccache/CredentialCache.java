package dev.ngc4j.core.internal.krb.ccache;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.core.internal.krb.crypto.EncType;
import dev.ngc4j.core.internal.krb.crypto.KerberosKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes MIT FILE credential caches in format version 4 (0x0504), the version MIT krb5 1.x writes
 * ({@code doc/formats/ccache_file_format.rst} in MIT krb5):
 *
 * <pre>
 * file       = 0x05 0x04, header, default principal, credential*   (until end of file)
 * header     = u16 length, then fields (u16 tag, u16 length, value); tag 1 = KDC time offset (s32 seconds, s32 µs)
 * principal  = u32 name type, u32 component count, data realm, data component...
 * credential = principal client, principal server, keyblock (u16 enctype, data),
 *              u32 authtime, u32 starttime, u32 endtime, u32 renew_till, u8 is_skey, u32 ticket_flags,
 *              u32 address count (0), u32 authdata count (0), data ticket, data second_ticket
 * data       = u32 length, bytes                                   (all integers big-endian)
 * </pre>
 *
 * <p>Writing is atomic and owner-only: the bytes go to a new file created with mode 0600 in the target's
 * directory, are synced, and the file is renamed over the target (then the directory is synced). A crash leaves the
 * old cache or the new one, never a mix, and the directory's own permissions are left alone (a cache usually lives
 * in {@code /tmp}). The in-memory encoding, which holds session keys, is cleared afterwards.
 *
 * <p>Reading is strict: any truncation, an impossible length, a version other than 0x0504, addresses or
 * authorization data, or a session key of an encryption type ngc4j does not support is an {@link IOException}.
 * MIT's configuration entries (server realm {@code X-CACHECONF:}) are skipped.
 *
 * <p>Thread safety: stateless. Concurrent writers to one file each replace it whole; the last rename wins.
 */
public final class CredentialCache {
  /** The file format version this class reads and writes. */
  public static final int VERSION = 0x0504;

  private static final int TAG_KDC_TIME_OFFSET = 1;
  private static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
  private static final int MAX_COMPONENTS = 64;
  private static final String CONFIG_REALM = "X-CACHECONF:";
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private CredentialCache() {}

  /**
   * What a cache file holds.
   *
   * @param defaultPrincipal the cache's default (client) principal
   * @param credentials the credentials, in file order, without configuration entries
   * @param kdcTimeOffset the KDC time offset header field, or null if the file has none
   */
  public record Contents(
      PrincipalName defaultPrincipal, List<CcacheCredential> credentials, @Nullable Duration kdcTimeOffset) {
    /** Copies the list. */
    public Contents {
      Objects.requireNonNull(defaultPrincipal, "defaultPrincipal");
      credentials = List.copyOf(credentials);
    }
  }

  /**
   * Writes a cache without a KDC time offset field, replacing {@code file} atomically, owner-only (0600).
   *
   * @param file the cache file (for {@code KRB5CCNAME=FILE:<file>})
   * @param defaultPrincipal the default principal, normally the client of the credentials
   * @param creds the credentials, TGT first by convention
   * @throws IOException if the file cannot be written; the old file, if any, is then unchanged
   */
  public static void write(Path file, PrincipalName defaultPrincipal, List<CcacheCredential> creds)
      throws IOException {
    writeFile(file, encode(defaultPrincipal, creds, null));
  }

  /**
   * Writes a cache with the KDC time offset field (header tag 1), which MIT adds to the local clock when it makes
   * requests with these credentials.
   *
   * @param file the cache file
   * @param defaultPrincipal the default principal
   * @param creds the credentials
   * @param kdcTimeOffset KDC time minus local time, within ±68 years
   * @throws IOException if the file cannot be written; the old file, if any, is then unchanged
   */
  public static void write(
      Path file, PrincipalName defaultPrincipal, List<CcacheCredential> creds, Duration kdcTimeOffset)
      throws IOException {
    writeFile(file, encode(defaultPrincipal, creds, Objects.requireNonNull(kdcTimeOffset, "kdcTimeOffset")));
  }

  /**
   * Reads the credentials of a cache.
   *
   * @param file the cache file
   * @return the credentials, without configuration entries
   * @throws IOException if the file cannot be read or is not a well-formed version 4 cache
   */
  public static List<CcacheCredential> read(Path file) throws IOException {
    return readContents(file).credentials();
  }

  /**
   * Reads everything a cache holds.
   *
   * @param file the cache file
   * @return the default principal, credentials and KDC time offset
   * @throws IOException if the file cannot be read or is not a well-formed version 4 cache
   */
  public static Contents readContents(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException("the credential cache " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return decode(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  // ---------------------------------------------------------------------------------------------------- encoding

  static byte[] encode(PrincipalName defaultPrincipal, List<CcacheCredential> creds, @Nullable Duration offset) {
    Objects.requireNonNull(defaultPrincipal, "defaultPrincipal");
    Objects.requireNonNull(creds, "creds");
    Out out = new Out();
    out.u16(VERSION);
    if (offset == null) {
      out.u16(0);
    } else {
      long seconds = offset.getSeconds();
      if (seconds < Integer.MIN_VALUE || seconds > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("the KDC time offset does not fit 32 bits of seconds");
      }
      out.u16(12);
      out.u16(TAG_KDC_TIME_OFFSET);
      out.u16(8);
      out.u32((int) seconds);
      out.u32(offset.getNano() / 1000);
    }
    principal(out, defaultPrincipal);
    for (CcacheCredential c : creds) {
      Objects.requireNonNull(c, "credential");
      principal(out, c.client());
      principal(out, c.server());
      KerberosKey key = c.key();
      out.u16(key.type().id());
      byte[] keyBytes = key.bytes();
      try {
        out.data(keyBytes);
      } finally {
        Arrays.fill(keyBytes, (byte) 0);
      }
      out.u32((int) c.authTime().getEpochSecond());
      Instant start = c.startTime();
      out.u32(start == null ? 0 : (int) start.getEpochSecond());
      out.u32((int) c.endTime().getEpochSecond());
      Instant renew = c.renewTill();
      out.u32(renew == null ? 0 : (int) renew.getEpochSecond());
      out.u8(c.isSkey() ? 1 : 0);
      out.u32(c.ticketFlags());
      out.u32(0); // addresses
      out.u32(0); // authdata
      out.data(c.ticket().toByteArray());
      out.data(c.secondTicket().toByteArray());
    }
    return out.toByteArrayAndClear();
  }

  private static void principal(Out out, PrincipalName name) {
    out.u32(name.nameType());
    out.u32(name.components().size());
    out.data(name.realm().getBytes(StandardCharsets.UTF_8));
    for (String c : name.components()) {
      out.data(c.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A growable buffer that can clear its storage (it holds session keys). */
  private static final class Out extends ByteArrayOutputStream {
    Out() {
      super(1024);
    }

    void u8(int v) {
      write(v);
    }

    void u16(int v) {
      write(v >>> 8);
      write(v);
    }

    void u32(int v) {
      write(v >>> 24);
      write(v >>> 16);
      write(v >>> 8);
      write(v);
    }

    void data(byte[] b) {
      u32(b.length);
      write(b, 0, b.length);
    }

    byte[] toByteArrayAndClear() {
      byte[] out = Arrays.copyOf(buf, count);
      Arrays.fill(buf, (byte) 0);
      count = 0;
      return out;
    }
  }

  // ---------------------------------------------------------------------------------------------------- decoding

  static Contents decode(byte[] bytes) throws IOException {
    In in = new In(bytes);
    int version = in.u16();
    if (version != VERSION) {
      throw new IOException(String.format("unsupported credential cache version 0x%04x (only 0x0504)", version));
    }
    int headerLength = in.u16();
    In header = in.slice(headerLength);
    Duration offset = null;
    while (header.remaining() > 0) {
      int tag = header.u16();
      int length = header.u16();
      In field = header.slice(length);
      if (tag == TAG_KDC_TIME_OFFSET) {
        if (length != 8) {
          throw new IOException("the KDC time offset header field is " + length + " bytes, not 8");
        }
        long seconds = field.s32();
        long micros = field.s32();
        offset = Duration.ofSeconds(seconds).plusNanos(micros * 1000);
      }
      // other tags are ignored, as the format requires
    }
    PrincipalName defaultPrincipal = principal(in);
    List<CcacheCredential> creds = new ArrayList<>();
    while (in.remaining() > 0) {
      CcacheCredential c = credential(in);
      if (c != null) {
        creds.add(c);
      }
    }
    return new Contents(defaultPrincipal, creds, offset);
  }

  /** One credential, or null for a configuration entry. */
  private static @Nullable CcacheCredential credential(In in) throws IOException {
    PrincipalName client = principal(in);
    PrincipalName server = principal(in);
    int enctype = in.u16();
    byte[] keyBytes = in.data();
    try {
      long authTime = in.u32();
      long startTime = in.u32();
      long endTime = in.u32();
      long renewTill = in.u32();
      int isSkey = in.u8();
      int flags = in.s32();
      if (in.s32() != 0) {
        throw new IOException("credentials with addresses are not supported");
      }
      if (in.s32() != 0) {
        throw new IOException("credentials with authorization data are not supported");
      }
      byte[] ticket = in.data();
      byte[] secondTicket = in.data();
      if (server.realm().equals(CONFIG_REALM)) {
        return null;
      }
      if (isSkey > 1) {
        throw new IOException("is_skey is " + isSkey + ", not 0 or 1");
      }
      EncType type =
          EncType.byId(enctype)
              .orElseThrow(() -> new IOException("unsupported session key enctype " + enctype + " in the cache"));
      if (keyBytes.length != type.keyLength()) {
        throw new IOException(
            "a " + type.mitName() + " session key of " + keyBytes.length + " bytes in the cache");
      }
      if (ticket.length == 0) {
        throw new IOException("a credential without a ticket in the cache");
      }
      return new CcacheCredential(
          client,
          server,
          new KerberosKey(type, keyBytes),
          Instant.ofEpochSecond(authTime),
          startTime == 0 ? null : Instant.ofEpochSecond(startTime),
          Instant.ofEpochSecond(endTime),
          renewTill == 0 ? null : Instant.ofEpochSecond(renewTill),
          isSkey == 1,
          flags,
          Bytes.of(ticket),
          Bytes.of(secondTicket));
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
    }
  }

  private static PrincipalName principal(In in) throws IOException {
    int nameType = in.s32();
    long count = in.u32();
    if (count == 0 || count > MAX_COMPONENTS) {
      throw new IOException("a principal with " + count + " components in the cache");
    }
    String realm = in.string();
    List<String> components = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      components.add(in.string());
    }
    try {
      return new PrincipalName(nameType, components, realm);
    } catch (IllegalArgumentException e) {
      throw new IOException("an invalid principal name in the cache: " + e.getMessage(), e);
    }
  }

  /** A bounds-checked big-endian reader. */
  private static final class In {
    private final byte[] b;
    private int pos;
    private final int end;

    In(byte[] b) {
      this(b, 0, b.length);
    }

    private In(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    int remaining() {
      return end - pos;
    }

    private void need(long n) throws IOException {
      if (n > remaining()) {
        throw new IOException("the credential cache is truncated or has an impossible length");
      }
    }

    int u8() throws IOException {
      need(1);
      return b[pos++] & 0xff;
    }

    int u16() throws IOException {
      need(2);
      int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    int s32() throws IOException {
      need(4);
      int v =
          ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    long u32() throws IOException {
      return s32() & 0xFFFFFFFFL;
    }

    byte[] data() throws IOException {
      long length = u32();
      need(length);
      byte[] out = Arrays.copyOfRange(b, pos, pos + (int) length);
      pos += (int) length;
      return out;
    }

    String string() throws IOException {
      byte[] raw = data();
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .decode(ByteBuffer.wrap(raw))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IOException("a principal name in the cache is not UTF-8", e);
      }
    }

    In slice(int length) throws IOException {
      need(length);
      In slice = new In(b, pos, pos + length);
      pos += length;
      return slice;
    }
  }

  // ---------------------------------------------------------------------------------------------------- the file

  private static void writeFile(Path file, byte[] content) throws IOException {
    Objects.requireNonNull(file, "file");
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null) {
      throw new IOException("no parent directory: " + file);
    }
    Path fileName = target.getFileName();
    String prefix = "." + (fileName == null ? "ccache" : fileName.toString()) + ".";
    Path tmp =
        POSIX
            ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, prefix, ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      Arrays.fill(content, (byte) 0);
      Files.deleteIfExists(tmp);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be opened; the rename itself is still atomic.
    }
  }
}
