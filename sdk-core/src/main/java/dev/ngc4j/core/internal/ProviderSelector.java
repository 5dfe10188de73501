package dev.ngc4j.core.internal;

import dev.ngc4j.api.ApiVersion;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.ProbeResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the credential provider: an explicit instance; else the configured id; else the highest priority among
 * providers whose probe succeeds, where a tie fails fast and a software provider is chosen only when allowed.
 */
public final class ProviderSelector {
  private static final Logger log = LoggerFactory.getLogger(ProviderSelector.class);

  /** The system property naming the provider id to use. */
  public static final String PROPERTY = "ngc4j.provider";

  /** What was chosen, with its probe. */
  public record Choice(CredentialProvider provider, ProbeResult probe) {}

  private ProviderSelector() {}

  /** Finds the providers on the class path and module path, skipping (and logging) broken ones. */
  public static List<CredentialProvider> discover(ClassLoader loader) {
    List<CredentialProvider> out = new ArrayList<>();
    ServiceLoader<CredentialProvider> sl = ServiceLoader.load(CredentialProvider.class, loader);
    var it = sl.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError e) {
        log.warn("Skipping a credential provider that failed to load: {}", e.getMessage());
      }
    }
    return out;
  }

  /**
   * Selects a provider.
   *
   * @param explicit an instance passed by the application, or null
   * @param configuredId the id from the builder or the system property, or null
   * @param requireHardware whether only hardware-backed providers may be used
   * @param allowSoftware whether a software provider may be chosen implicitly
   * @param discovered the providers found through ServiceLoader
   */
  public static Choice select(
      @Nullable CredentialProvider explicit,
      @Nullable String configuredId,
      boolean requireHardware,
      boolean allowSoftware,
      List<CredentialProvider> discovered)
      throws ProviderUnavailableException {
    if (explicit != null) {
      Choice c = new Choice(explicit, checkedProbe(explicit));
      checkCompatible(explicit);
      if (requireHardware && !c.probe().capabilities().hardwareBacked()) {
        throw hardwareRequired(explicit.id() + " (passed explicitly) is not hardware-backed");
      }
      log.info("Using credential provider '{}' (passed explicitly)", explicit.id());
      return c;
    }
    if (configuredId != null && !configuredId.isBlank()) {
      for (CredentialProvider p : discovered) {
        if (configuredId.equals(p.id())) {
          checkCompatible(p);
          ProbeResult probe = checkedProbe(p);
          if (requireHardware && !probe.capabilities().hardwareBacked()) {
            throw hardwareRequired("the configured provider '" + configuredId + "' is not hardware-backed");
          }
          if (!probe.available()) {
            throw unavailable(p, probe);
          }
          log.info("Using credential provider '{}' (configured by id)", p.id());
          return new Choice(p, probe);
        }
      }
      throw new ProviderUnavailableException(
          ErrorCode.NO_PROVIDER,
          "The configured credential provider '" + configuredId + "' is not installed (found: " + ids(discovered) + ")",
          "add the module that provides '" + configuredId + "' to the class path, or configure one of "
              + ids(discovered),
          null);
    }
    List<Choice> usable = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    boolean softwareSkipped = false;
    for (CredentialProvider p : discovered) {
      if (p.apiVersion() != ApiVersion.MAJOR) {
        rejected.add(p.id() + ": built for API " + p.apiVersion() + ", this is " + ApiVersion.MAJOR);
        continue;
      }
      ProbeResult probe = checkedProbe(p);
      if (!probe.available()) {
        rejected.add(p.id() + ": " + probe.reason().orElse("unavailable"));
        continue;
      }
      if (!probe.capabilities().hardwareBacked() && (requireHardware || !allowSoftware)) {
        softwareSkipped = true;
        rejected.add(p.id() + ": software keys were not allowed");
        continue;
      }
      usable.add(new Choice(p, probe));
    }
    rejected.forEach(r -> log.debug("Credential provider not chosen: {}", r));
    if (usable.isEmpty()) {
      String detail = "No usable credential provider" + (rejected.isEmpty() ? " is installed" : ": " + rejected);
      if (softwareSkipped && requireHardware) {
        throw hardwareRequired(detail);
      }
      if (softwareSkipped) {
        throw new ProviderUnavailableException(
            ErrorCode.NO_PROVIDER,
            detail,
            "no hardware provider is available; call allowSoftwareKeys() on the builder to accept software-protected"
                + " keys, or install provider-tpm / provider-pkcs11 with a working device",
            null);
      }
      throw new ProviderUnavailableException(ErrorCode.NO_PROVIDER, detail, ErrorCode.NO_PROVIDER.remedy(), null);
    }
    usable.sort(Comparator.comparingInt((Choice c) -> c.provider().priority()).reversed());
    Choice best = usable.get(0);
    if (usable.size() > 1 && usable.get(1).provider().priority() == best.provider().priority()) {
      String tied = usable.stream()
          .filter(c -> c.provider().priority() == best.provider().priority())
          .map(c -> c.provider().id())
          .collect(Collectors.joining(", "));
      throw new ProviderUnavailableException(
          ErrorCode.AMBIGUOUS_PROVIDER,
          "Credential providers " + tied + " tie at priority " + best.provider().priority(),
          "choose one with Ngc4j.builder().providerId(\"...\") or -D" + PROPERTY + "=<id>",
          null);
    }
    log.info("Using credential provider '{}' (priority {})", best.provider().id(), best.provider().priority());
    return best;
  }

  private static ProbeResult checkedProbe(CredentialProvider p) {
    ProbeResult r = p.probe();
    return Objects.requireNonNull(r, () -> "provider " + p.id() + " returned a null probe result");
  }

  private static void checkCompatible(CredentialProvider p) throws ProviderUnavailableException {
    if (p.apiVersion() != ApiVersion.MAJOR) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_INCOMPATIBLE,
          "Credential provider '" + p.id() + "' was built for API version " + p.apiVersion() + ", this is "
              + ApiVersion.MAJOR,
          ErrorCode.PROVIDER_INCOMPATIBLE.remedy(),
          null);
    }
  }

  private static ProviderUnavailableException hardwareRequired(String detail) {
    return new ProviderUnavailableException(
        ErrorCode.HARDWARE_REQUIRED, "Hardware-backed keys were required: " + detail,
        ErrorCode.HARDWARE_REQUIRED.remedy(), null);
  }

  private static ProviderUnavailableException unavailable(CredentialProvider p, ProbeResult probe) {
    return new ProviderUnavailableException(
        ErrorCode.PROVIDER_UNAVAILABLE,
        "Credential provider '" + p.id() + "' is unavailable: " + probe.reason().orElse("no reason given"),
        probe.remedy().orElse(ErrorCode.PROVIDER_UNAVAILABLE.remedy()),
        null);
  }

  private static String ids(List<CredentialProvider> ps) {
    return ps.isEmpty() ? "none" : ps.stream().map(CredentialProvider::id).collect(Collectors.joining(", ", "[", "]"));
  }
}
