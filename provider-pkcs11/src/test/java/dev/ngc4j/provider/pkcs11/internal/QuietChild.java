package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.pkcs11.Pkcs11CredentialProvider;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.testkit.ScriptedGestures;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * The child JVM of {@link QuietOutputTest}. Prints nothing itself. Arguments: {@code provider LIBRARY LABEL PIN DATA}
 * uses the provider (loads the module, opens a session, fills the pool, creates a container, signs with it and with
 * the device key); {@code raw LIBRARY} uses the wrapper directly, without the provider's log routing (the control).
 */
public final class QuietChild {
  private QuietChild() {}

  /**
   * Runs the child.
   *
   * @param args see the class comment
   * @throws Exception on any failure (the stack trace on stderr fails the test)
   */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("raw")) {
      PKCS11Module module = PKCS11Module.getInstance(args[1]);
      module.initialize();
      Slot[] slots = module.getSlotList(true);
      Session s = slots[0].getToken().openSession(true);
      s.closeSession();
      module.finalize(null);
      return;
    }
    String library = args[1];
    String label = args[2];
    char[] pin = args[3].toCharArray();
    Path data = Path.of(args[4]);
    try (Pkcs11Session s = Pkcs11CredentialProvider.builder().library(library).tokenLabel(label).poolSize(0).build()
        .open(new ProviderContext(data, Clock.systemUTC(), Map.of()))) {
      s.fillKeyPool(ScriptedGestures.create().pin(pin.clone()), 1);
      KeyContainer c = s.containers().create(new ContainerSpec(ContainerId.of("quiet"),
          UserPrincipal.of("quiet@contoso.com"), ProtectorSpec.pin(), PinPolicy.defaults()),
          s.keySource().generate(), ScriptedGestures.create().pin(pin.clone()));
      c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1, 2, 3}, ScriptedGestures.create().pin(pin.clone()));
      s.deviceKeys().orElseThrow().signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {4});
    }
  }
}
