package dev.ngc4j.core;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.CloudAuthProvider;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyRegistration;
import dev.ngc4j.spi.PrimaryRefreshToken;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the directory's registration endpoint in provisioning unit tests (the real service arrives with
 * the cloud issue): records registrations and can be told to refuse.
 */
final class RecordingDirectory implements CloudAuthProvider {
  final Map<String, PublicKey> registered = new ConcurrentHashMap<>();
  volatile boolean refuseRegistration;
  volatile boolean refuseUnregistration;
  volatile @org.jspecify.annotations.Nullable DeviceId joinAs;
  volatile int joins;

  static String key(UserPrincipal user, KeyId keyId) {
    return user.upn() + "/" + keyId.toBase64Url();
  }

  @Override
  public DeviceId joinDevice(DeviceKeys keys, AccessToken token) throws NgcException {
    DeviceId id = joinAs;
    if (id == null) {
      throw new NgcException(ErrorCode.CLOUD_ERROR, "directory refused the join (test)");
    }
    keys.deviceKey(); // the device key must exist to be certified
    synchronized (this) {
      joins++;
    }
    return id;
  }

  @Override
  public void registerKey(KeyRegistration r) throws NgcException {
    if (refuseRegistration) {
      throw new NgcException(ErrorCode.REGISTRATION_FAILED, "directory refused the key (test)");
    }
    registered.put(key(r.user(), r.keyId()), r.publicKey());
  }

  @Override
  public void unregisterKey(UserPrincipal user, KeyId keyId, AccessToken token) throws NgcException {
    if (refuseUnregistration) {
      throw new NgcException(ErrorCode.CLOUD_ERROR, "directory unavailable (test)");
    }
    registered.remove(key(user, keyId));
  }

  @Override
  public Bytes nonce() throws NgcException {
    throw new NgcException(ErrorCode.UNSUPPORTED, "not used here");
  }

  @Override
  public PrimaryRefreshToken signIn(KeyContainer container, GestureSource gestures, DeviceKeys keys)
      throws NgcException {
    throw new NgcException(ErrorCode.UNSUPPORTED, "not used here");
  }

  @Override
  public PrimaryRefreshToken renew(PrimaryRefreshToken prt, DeviceKeys keys) throws NgcException {
    throw new NgcException(ErrorCode.UNSUPPORTED, "not used here");
  }
}
