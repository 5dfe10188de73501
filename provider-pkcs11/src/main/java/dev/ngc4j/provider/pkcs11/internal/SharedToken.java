package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_FINAL_TRY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_LOCKED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256_RSA_PKCS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256_RSA_PKCS_PSS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKG_MGF1_SHA256;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_OBJECT_HANDLE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_USER_NOT_LOGGED_IN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_USER;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.TokenInfo;
import org.xipki.pkcs11.wrapper.params.RSA_PKCS_PSS_PARAMS;

/**
 * One token as every provider session in the JVM shares it: its PKCS#11 sessions, its login state, the pool entries
 * reserved in this process, and the private-key handles valid for the current login.
 *
 * <h2>Sessions</h2>
 *
 * <p>Up to {@code maxSessions} read/write sessions, borrowed per call and returned, so that concurrent signatures
 * each run in their own session. A session that reports a broken handle is closed instead of being returned. Waiting
 * for a free session is bounded by {@code callTimeout}.
 *
 * <h2>Login</h2>
 *
 * <p>The token is logged in while at least one {@link LoginHold} is open (an unlocked key, a pool fill, an operation
 * that needs the private objects); the last close logs out. Every login and logout runs under the write lock of a
 * read/write lock whose read lock every private-key operation holds, so no signature runs across a logout and a new
 * login; handles are re-resolved by CKA_ID after each login. While logged in, a PIN is checked against the
 * {@link PinVerifier} made at the C_Login that the token accepted, never taken as verified because the token answers
 * CKR_USER_ALREADY_LOGGED_IN. If the token was logged in by someone else in the process (no verifier of ours), the
 * provider logs out and logs in again with the offered PIN.
 *
 * <h2>Writes to the token's object store</h2>
 *
 * <p>Calls that create, modify or destroy token objects, or change the PIN ({@link #callWriting},
 * {@link #callRawWriting}, {@link #whileLoggedInWriting}), run one at a time per token in this process. SoftHSM2 2.6
 * fails concurrent C_GenerateKeyPair and C_CreateObject on one token from several threads at random with
 * CKR_GENERAL_ERROR or CKR_TEMPLATE_INCONSISTENT (its object files' store step; upstream issue softhsm/SoftHSMv2#573,
 * only partly fixed after 2.6.1), which is what the background pool fill racing a container's record creation hit.
 * Reads and signatures stay concurrent. The lock is taken before a session, never while holding one.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class SharedToken {
  private static final Logger log = LoggerFactory.getLogger(SharedToken.class);

  /** A call made in a borrowed session. */
  @FunctionalInterface
  public interface SessionCall<T> {
    /**
     * Runs the call.
     *
     * @param session the session
     * @return the result
     * @throws TokenException if the token refuses
     * @throws NgcException if the call itself decides to fail
     */
    T run(Session session) throws TokenException, NgcException;
  }

  /** The result of offering a PIN: accepted (with a hold), or why not. */
  public static final class LoginResult {
    private final Ckr.LoginOutcome outcome;
    private final @Nullable LoginHold hold;

    private LoginResult(Ckr.LoginOutcome outcome, @Nullable LoginHold hold) {
      this.outcome = outcome;
      this.hold = hold;
    }

    /**
     * Returns the outcome.
     *
     * @return what the token (or the verifier) said
     */
    public Ckr.LoginOutcome outcome() {
      return outcome;
    }

    /**
     * Returns the hold of an accepted PIN.
     *
     * @return the hold, present exactly for {@link Ckr.LoginOutcome#ACCEPTED}
     */
    public Optional<LoginHold> hold() {
      return Optional.ofNullable(hold);
    }
  }

  /** A reference to the shared token; close it once. */
  public final class Ref implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Ref() {}

    /**
     * Returns the token.
     *
     * @return the shared token
     */
    public SharedToken token() {
      return SharedToken.this;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        unref();
      }
    }
  }

  private final Pkcs11Modules.Ref module;
  private final Slot slot;
  private final String serial;
  private final String label;
  private final long minPinLength;
  private final long maxPinLength;
  private final boolean hardwareSlot;
  private final Set<SignatureAlgorithm> algorithms;
  private final Set<Long> mechanisms;
  private final Duration callTimeout;
  private final int poolSize;
  private final Consumer<SharedToken> onShutdown;
  private final Semaphore sessionPermits;
  private final ArrayDeque<Session> idle = new ArrayDeque<>();
  private final ReentrantReadWriteLock loginLock = new ReentrantReadWriteLock();
  private final java.util.concurrent.locks.ReentrantLock objectStore =
      new java.util.concurrent.locks.ReentrantLock(true);
  private final AtomicInteger holders = new AtomicInteger();
  private final Map<ByteBuffer, Long> privateHandles = new ConcurrentHashMap<>();
  private final Set<ByteBuffer> claims = new HashSet<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable PinVerifier verifier;
  private final java.util.concurrent.atomic.AtomicLong loginGeneration = new java.util.concurrent.atomic.AtomicLong();
  private int refs;
  private volatile @Nullable Consumer<LoginHold> afterLogin;
  private @Nullable ExecutorService background;

  SharedToken(Pkcs11Modules.Ref module, Slot slot, Pkcs11Settings settings, Consumer<SharedToken> onShutdown)
      throws NgcException {
    this.module = module;
    this.slot = slot;
    this.onShutdown = onShutdown;
    this.callTimeout = settings.callTimeout();
    this.poolSize = settings.poolSize();
    this.sessionPermits = new Semaphore(settings.maxSessions(), true);
    try {
      TokenInfo info = slot.getToken().getTokenInfo();
      this.serial = info.getSerialNumber().trim();
      this.label = info.getLabel().trim();
      this.minPinLength = info.getMinPinLen();
      this.maxPinLength = info.getMaxPinLen();
      this.hardwareSlot = slot.getSlotInfo().isHwSlot();
      long[] list = slot.getToken().getMechanismList();
      Set<Long> mechs = new HashSet<>();
      if (list != null) {
        for (long m : list) {
          mechs.add(m);
        }
      }
      this.mechanisms = Set.copyOf(mechs);
    } catch (TokenException | RuntimeException e) {
      throw Ckr.removed("in slot " + slot.getSlotID(), "reading its information", e);
    }
    EnumSet<SignatureAlgorithm> algs = EnumSet.noneOf(SignatureAlgorithm.class);
    if (mechanisms.contains(CKM_SHA256_RSA_PKCS)) {
      algs.add(SignatureAlgorithm.RSA_PKCS1_SHA256);
    }
    if (mechanisms.contains(CKM_SHA256_RSA_PKCS_PSS)) {
      algs.add(SignatureAlgorithm.RSA_PSS_SHA256);
    }
    this.algorithms = Set.copyOf(algs);
  }

  synchronized Ref newRef() {
    refs++;
    return new Ref();
  }

  private void unref() {
    boolean last;
    synchronized (this) {
      refs--;
      last = refs == 0;
    }
    if (last) {
      onShutdown.accept(this);
      shutdown();
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Logs out, closes every session and stops the background work; idempotent. */
  void shutdown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ExecutorService bg;
    synchronized (this) {
      bg = background;
      background = null;
    }
    if (bg != null) {
      bg.shutdownNow();
      try {
        if (!bg.awaitTermination(callTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          log.debug("the pool fill of token {} did not end in time", describe());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      module.module().getPKCS11Module().C_CloseAllSessions(slot.getSlotID());
    } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception | RuntimeException e) {
      log.debug("closing the sessions of token {} failed: {}", describe(), e.toString());
    }
    synchronized (idle) {
      idle.clear();
    }
    dropLoginState();
    holders.set(0);
    log.debug("token {} released", describe());
  }

  // -----------------------------------------------------------------------------------------------------------
  // Facts
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Returns the token's serial number.
   *
   * @return the serial, trimmed
   */
  public String serial() {
    return serial;
  }

  /**
   * Returns the token's label.
   *
   * @return the label, trimmed
   */
  public String label() {
    return label;
  }

  /**
   * Returns the token in messages.
   *
   * @return {@code 'label' (serial S)}
   */
  public String describe() {
    return "'" + label + "' (serial " + serial + ")";
  }

  /**
   * Returns whether the slot is a hardware slot (CKF_HW_SLOT).
   *
   * @return false for SoftHSM2
   */
  public boolean hardwareSlot() {
    return hardwareSlot;
  }

  /**
   * Returns the signature algorithms the token's mechanism list supports.
   *
   * @return RS256 for CKM_SHA256_RSA_PKCS, PS256 for CKM_SHA256_RSA_PKCS_PSS
   */
  public Set<SignatureAlgorithm> algorithms() {
    return algorithms;
  }

  /**
   * Returns whether the token lists a mechanism.
   *
   * @param mechanism the CKM value
   * @return true if listed
   */
  public boolean hasMechanism(long mechanism) {
    return mechanisms.contains(mechanism);
  }

  /**
   * Returns the PIN length range the token accepts.
   *
   * @return {min, max}
   */
  public long[] pinLengthRange() {
    return new long[] {minPinLength, maxPinLength};
  }

  /**
   * Returns the pool size of the first session that opened the token.
   *
   * @return the pool entries to keep
   */
  public int poolSize() {
    return poolSize;
  }

  /**
   * Returns the module.
   *
   * @return the module reference
   */
  public Pkcs11Modules.Ref module() {
    return module;
  }

  /**
   * Returns the slot.
   *
   * @return the slot
   */
  public Slot slot() {
    return slot;
  }

  /**
   * Returns the token's flags, read now.
   *
   * @return the CKF_* flags of C_GetTokenInfo
   * @throws NgcException {@code TOKEN_REMOVED} if the token does not answer
   */
  public long flags() throws NgcException {
    try {
      TokenInfo info = slot.getToken().getTokenInfo();
      if (!serial.equals(info.getSerialNumber().trim())) {
        throw Ckr.removed(describe(), "reading its flags", null);
      }
      return info.getFlags();
    } catch (TokenException | RuntimeException e) {
      throw Ckr.removed(describe(), "reading its flags", e);
    }
  }

  /**
   * Returns whether the token still answers with its serial.
   *
   * @return true if present
   */
  public boolean present() {
    try {
      return serial.equals(slot.getToken().getTokenInfo().getSerialNumber().trim());
    } catch (TokenException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The exception for a failed call: {@code TOKEN_REMOVED} when the return value says so or the token no longer
   * answers, else {@code PROVIDER_UNAVAILABLE} with the return value.
   *
   * @param what the operation
   * @param e the failure
   * @return the exception
   */
  public NgcException failure(String what, TokenException e) {
    if (Ckr.tokenGone(Ckr.code(e)) || !present()) {
      return Ckr.removed(describe(), what, e);
    }
    return Ckr.failed(describe(), what, e);
  }

  // -----------------------------------------------------------------------------------------------------------
  // Sessions
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Runs a call in a borrowed session and maps its failure.
   *
   * @param <T> the result
   * @param what the operation, for messages
   * @param call the call
   * @return the result
   * @throws NgcException {@code TOKEN_REMOVED} or {@code PROVIDER_UNAVAILABLE}
   */
  public <T> T call(String what, SessionCall<T> call) throws NgcException {
    try {
      return callRaw(what, call);
    } catch (TokenException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs a call in a borrowed session; the token's refusal is the caller's to interpret.
   *
   * @param <T> the result
   * @param what the operation, for messages
   * @param call the call
   * @return the result
   * @throws TokenException if the token refuses
   * @throws NgcException {@code TOKEN_REMOVED} if no session could be had in time
   */
  public <T> T callRaw(String what, SessionCall<T> call) throws TokenException, NgcException {
    ensureOpen();
    acquireSessionPermit(what);
    Session session = null;
    boolean broken = false;
    try {
      session = borrow(what);
      return call.run(session);
    } catch (PKCS11Exception e) {
      broken = Ckr.tokenGone(e.getErrorCode());
      throw e;
    } finally {
      if (session != null) {
        giveBack(session, broken);
      }
      sessionPermits.release();
    }
  }

  /**
   * Runs a call that writes token objects (create, modify, destroy, C_SetPIN) in a borrowed session, one writer per
   * token at a time (see the class comment), and maps its failure.
   *
   * @param <T> the result
   * @param what the operation, for messages
   * @param call the call
   * @return the result
   * @throws NgcException {@code TOKEN_REMOVED} or {@code PROVIDER_UNAVAILABLE}
   */
  public <T> T callWriting(String what, SessionCall<T> call) throws NgcException {
    Lock writer = lock(objectStore, what);
    try {
      return call(what, call);
    } finally {
      writer.unlock();
    }
  }

  /**
   * As {@link #callWriting}, the token's refusal left to the caller.
   *
   * @param <T> the result
   * @param what the operation, for messages
   * @param call the call
   * @return the result
   * @throws TokenException if the token refuses
   * @throws NgcException {@code TOKEN_REMOVED} if no session or writer turn could be had in time
   */
  public <T> T callRawWriting(String what, SessionCall<T> call) throws TokenException, NgcException {
    Lock writer = lock(objectStore, what);
    try {
      return callRaw(what, call);
    } finally {
      writer.unlock();
    }
  }

  private void acquireSessionPermit(String what) throws NgcException {
    try {
      if (!sessionPermits.tryAcquire(callTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw Ckr.removed(describe(), what + ": no session became free within " + callTimeout.toSeconds() + " s",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NgcException(ErrorCode.INTERRUPTED, "Interrupted while waiting for a session of token " + describe(),
          e);
    }
  }

  private Session borrow(String what) throws NgcException {
    synchronized (idle) {
      Session s = idle.pollFirst();
      if (s != null) {
        return s;
      }
    }
    try {
      return slot.getToken().openSession(true);
    } catch (TokenException | RuntimeException e) {
      throw e instanceof TokenException t ? failure(what + " (opening a session)", t)
          : Ckr.removed(describe(), what, (RuntimeException) e);
    }
  }

  private void giveBack(Session session, boolean broken) {
    if (broken || closed.get()) {
      try {
        session.closeSession();
      } catch (TokenException | RuntimeException e) {
        log.trace("closing a broken session failed: {}", e.toString());
      }
      return;
    }
    synchronized (idle) {
      idle.addFirst(session);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the PKCS#11 token " + describe() + " was released");
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Login
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Offers the user PIN: checked against this login's verifier while logged in, else by C_Login.
   *
   * @param pin the PIN (not kept)
   * @return the outcome, with a hold when accepted
   * @throws NgcException {@code TOKEN_REMOVED} if the token does not answer, or the login state is busy too long
   */
  public LoginResult login(char[] pin) throws NgcException {
    Lock write = lock(loginLock.writeLock(), "logging in");
    try {
      PinVerifier v = verifier;
      if (holders.get() > 0 && v != null) {
        if (!v.matches(pin)) {
          return new LoginResult(Ckr.LoginOutcome.WRONG_PIN, null);
        }
        holders.incrementAndGet();
        return new LoginResult(Ckr.LoginOutcome.ACCEPTED, new LoginHold(this));
      }
      Ckr.LoginOutcome outcome = cLogin(pin);
      if (outcome == Ckr.LoginOutcome.ALREADY_LOGGED_IN) {
        // Logged in by someone else in this process: the token did not check this PIN. Log out, log in again.
        log.debug("token {} was logged in by another part of the process; logging out to check the PIN", describe());
        cLogout();
        outcome = cLogin(pin);
      }
      if (outcome != Ckr.LoginOutcome.ACCEPTED) {
        return new LoginResult(outcome, null);
      }
      dropLoginState();
      verifier = new PinVerifier(pin);
      loginGeneration.incrementAndGet();
      holders.set(1);
      LoginHold hold = new LoginHold(this);
      Consumer<LoginHold> listener = afterLogin;
      if (listener != null) {
        retainLocked().ifPresent(listener);
      }
      return new LoginResult(Ckr.LoginOutcome.ACCEPTED, hold);
    } finally {
      write.unlock();
    }
  }

  private Ckr.LoginOutcome cLogin(char[] pin) throws NgcException {
    try {
      callRaw("logging in", s -> {
        s.login(CKU_USER, pin);
        return Boolean.TRUE;
      });
      return Ckr.LoginOutcome.ACCEPTED;
    } catch (TokenException e) {
      Ckr.LoginOutcome outcome = Ckr.loginOutcome(Ckr.code(e));
      if (outcome == Ckr.LoginOutcome.TOKEN_GONE || (outcome == Ckr.LoginOutcome.OTHER && !present())) {
        throw Ckr.removed(describe(), "logging in", e);
      }
      if (outcome == Ckr.LoginOutcome.OTHER) {
        throw Ckr.failed(describe(), "the login", e);
      }
      return outcome;
    }
  }

  private void cLogout() {
    try {
      callRaw("logging out", s -> {
        s.logout();
        return Boolean.TRUE;
      });
    } catch (TokenException | NgcException e) {
      log.debug("C_Logout on token {} failed: {}", describe(), e.toString());
    }
  }

  /**
   * Takes another hold on the current login, if the token is logged in by this provider.
   *
   * @return the hold, or empty when not logged in
   * @throws NgcException if the login state stays busy too long
   */
  public Optional<LoginHold> retain() throws NgcException {
    Lock write = lock(loginLock.writeLock(), "taking the login");
    try {
      return retainLocked();
    } finally {
      write.unlock();
    }
  }

  private Optional<LoginHold> retainLocked() {
    if (holders.get() > 0 && verifier != null) {
      holders.incrementAndGet();
      return Optional.of(new LoginHold(this));
    }
    return Optional.empty();
  }

  /** Ends one hold; the last logs out. */
  void release() {
    Lock write = loginLock.writeLock();
    boolean locked;
    try {
      locked = write.tryLock(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      locked = false;
    }
    try {
      if (holders.decrementAndGet() <= 0) {
        holders.set(0);
        if (!closed.get() && locked) {
          cLogout();
        }
        dropLoginState();
      }
    } finally {
      if (locked) {
        write.unlock();
      }
    }
  }

  private void dropLoginState() {
    PinVerifier v = verifier;
    verifier = null;
    if (v != null) {
      v.destroy();
    }
    privateHandles.clear();
  }

  /**
   * Replaces the verifier after the token's PIN was changed while logged in.
   *
   * @param newPin the new PIN (not kept)
   * @throws NgcException if the login state stays busy too long
   */
  public void pinChanged(char[] newPin) throws NgcException {
    Lock write = lock(loginLock.writeLock(), "changing the PIN");
    try {
      if (holders.get() > 0 && verifier != null) {
        PinVerifier old = verifier;
        verifier = new PinVerifier(newPin);
        if (old != null) {
          old.destroy();
        }
      }
    } finally {
      write.unlock();
    }
  }

  /**
   * Sets what runs after each successful C_Login with a hold of its own (the pool top-up); the hold must be closed
   * by the listener.
   *
   * @param listener the listener
   */
  public void onLogin(Consumer<LoginHold> listener) {
    this.afterLogin = listener;
  }

  /**
   * Runs a task in the token's background thread.
   *
   * @param task the task
   */
  public synchronized void background(Runnable task) {
    if (closed.get()) {
      return;
    }
    if (background == null) {
      background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ngc4j-pkcs11-pool-" + serial);
        t.setDaemon(true);
        return t;
      });
    }
    ExecutorService bg = background;
    if (bg != null) {
      bg.execute(task);
    }
  }

  /**
   * Returns whether the token is logged in by this provider now.
   *
   * @return true while a hold is open
   */
  public boolean loggedIn() {
    return holders.get() > 0;
  }

  /**
   * Runs a call that needs the login, under the login's read lock so that no logout happens meanwhile.
   *
   * @param <T> the result
   * @param hold the caller's open hold
   * @param what the operation
   * @param call the call
   * @return the result
   * @throws NgcException as {@link #call}
   */
  public <T> T whileLoggedIn(LoginHold hold, String what, SessionCall<T> call) throws NgcException {
    return underLogin(hold, what, call, false);
  }

  /**
   * As {@link #whileLoggedIn}, for a call that writes token objects: one writer per token at a time.
   *
   * @param <T> the result
   * @param hold the caller's open hold
   * @param what the operation
   * @param call the call
   * @return the result
   * @throws NgcException as {@link #call}
   */
  public <T> T whileLoggedInWriting(LoginHold hold, String what, SessionCall<T> call) throws NgcException {
    return underLogin(hold, what, call, true);
  }

  private <T> T underLogin(LoginHold hold, String what, SessionCall<T> call, boolean writing) throws NgcException {
    Lock read = lock(loginLock.readLock(), what);
    try {
      hold.ensureOpen();
      return writing ? callWriting(what, call) : call(what, call);
    } finally {
      read.unlock();
    }
  }

  private Lock lock(Lock lock, String what) throws NgcException {
    try {
      if (!lock.tryLock(callTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw Ckr.removed(describe(), what + ": the token stayed busy for " + callTimeout.toSeconds() + " s", null);
      }
      return lock;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NgcException(ErrorCode.INTERRUPTED, "Interrupted while waiting for token " + describe(), e);
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Private keys
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Signs with the private key of a CKA_ID (RSASSA-PKCS1-v1_5 or PSS with SHA-256, MGF1-SHA-256, salt 32); the
   * token hashes the message.
   *
   * @param hold the caller's open hold
   * @param ckaId the key's CKA_ID
   * @param algorithm the scheme
   * @param message the message
   * @return the signature
   * @throws NgcException {@code TOKEN_REMOVED}, {@code UNSUPPORTED}, or {@code CONTAINER_CORRUPTED} if the key is
   *     gone from a token that is still there
   */
  public byte[] sign(LoginHold hold, byte[] ckaId, SignatureAlgorithm algorithm, byte[] message)
      throws NgcException {
    if (!algorithms.contains(algorithm)) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "Token " + describe() + " does not offer " + algorithm + " (mechanism "
              + (algorithm == SignatureAlgorithm.RSA_PSS_SHA256 ? "CKM_SHA256_RSA_PKCS_PSS" : "CKM_SHA256_RSA_PKCS")
              + " missing from its mechanism list)",
          "use a signature algorithm in the provider's capabilities", null);
    }
    Mechanism mechanism = algorithm == SignatureAlgorithm.RSA_PSS_SHA256
        ? new Mechanism(CKM_SHA256_RSA_PKCS_PSS, new RSA_PKCS_PSS_PARAMS(CKM_SHA256, CKG_MGF1_SHA256, 32))
        : new Mechanism(CKM_SHA256_RSA_PKCS);
    return whileLoggedIn(hold, "signing", s -> {
      long handle = privateKey(s, ckaId);
      try {
        return s.signSingle(mechanism, handle, message);
      } catch (PKCS11Exception e) {
        if (e.getErrorCode() != CKR_OBJECT_HANDLE_INVALID && e.getErrorCode() != CKR_USER_NOT_LOGGED_IN) {
          throw e;
        }
        privateHandles.remove(ByteBuffer.wrap(ckaId.clone()));
        return s.signSingle(mechanism, privateKey(s, ckaId), message);
      }
    });
  }

  /**
   * Returns the handle of the private key with a CKA_ID for the current login (cached until the next login).
   *
   * @param s a session (logged in)
   * @param ckaId the CKA_ID
   * @return the handle
   * @throws TokenException if the token refuses
   * @throws NgcException {@code TOKEN_REMOVED} or {@code CONTAINER_CORRUPTED} if there is no such key
   */
  public long privateKey(Session s, byte[] ckaId) throws TokenException, NgcException {
    ByteBuffer key = ByteBuffer.wrap(ckaId.clone());
    Long cached = privateHandles.get(key);
    if (cached != null) {
      return cached;
    }
    long[] found = s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).id(ckaId), 2);
    if (found.length != 1) {
      if (!present()) {
        throw Ckr.removed(describe(), "looking up a private key", null);
      }
      throw new NgcException(ErrorCode.CONTAINER_CORRUPTED,
          "Token " + describe() + " holds " + (found.length == 0 ? "no" : "more than one") + " private key with"
              + " CKA_ID " + TokenObjects.hex(ckaId),
          "the key was deleted or duplicated outside ngc4j; delete the credential and provision it again", null);
    }
    privateHandles.put(key, found[0]);
    return found[0];
  }

  /**
   * Forgets a cached private-key handle (after the key was destroyed).
   *
   * @param ckaId the CKA_ID
   */
  public void forgetHandle(byte[] ckaId) {
    privateHandles.remove(ByteBuffer.wrap(ckaId.clone()));
  }

  // -----------------------------------------------------------------------------------------------------------
  // Pool reservations
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Reserves a pool entry in this process.
   *
   * @param ckaId the entry's CKA_ID
   * @return true if it was free
   */
  public boolean claim(byte[] ckaId) {
    synchronized (claims) {
      return claims.add(ByteBuffer.wrap(ckaId.clone()));
    }
  }

  /**
   * Returns whether a CKA_ID is reserved in this process.
   *
   * @param ckaId the CKA_ID
   * @return true if reserved
   */
  public boolean claimed(byte[] ckaId) {
    synchronized (claims) {
      return claims.contains(ByteBuffer.wrap(ckaId));
    }
  }

  /**
   * Ends a reservation.
   *
   * @param ckaId the CKA_ID
   */
  public void unclaim(byte[] ckaId) {
    synchronized (claims) {
      claims.remove(ByteBuffer.wrap(ckaId));
    }
  }

  /**
   * Returns the attempts the token's own flags allow: 1 with CKF_USER_PIN_FINAL_TRY, 0 with CKF_USER_PIN_LOCKED,
   * else {@code ours}. (CKF_USER_PIN_COUNT_LOW gives no number; SoftHSM2 sets it after any wrong PIN.)
   *
   * @param flags the token's flags
   * @param ours the provider's count
   * @return the attempts to report
   */
  public static int attemptsAllowedByFlags(long flags, int ours) {
    if ((flags & CKF_USER_PIN_LOCKED) != 0) {
      return 0;
    }
    if ((flags & CKF_USER_PIN_FINAL_TRY) != 0) {
      return Math.min(ours, 1);
    }
    return ours;
  }

  @Override
  public String toString() {
    return "SharedToken[" + describe() + ", slot " + slot.getSlotID() + "]";
  }

  long loginGeneration() {
    return loginGeneration.get();
  }

  static byte[] idOf(AttributeVector attrs) {
    byte[] id = attrs.getByteArrayAttrValue(CKA_ID);
    return id == null ? new byte[0] : Arrays.copyOf(id, id.length);
  }
}
