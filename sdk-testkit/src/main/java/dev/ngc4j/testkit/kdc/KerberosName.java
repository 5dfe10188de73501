package dev.ngc4j.testkit.kdc;

import java.util.List;

/**
 * A principal name as the harness takes it: {@code name}, {@code name/instance} or either with {@code @REALM}; the
 * realm defaults to the KDC's. Only the characters that kadmin.local, file names and certificate subjects take
 * without quoting are allowed ({@code [A-Za-z0-9._-]} in components).
 */
record KerberosName(List<String> components, String realm) {

  KerberosName {
    components = List.copyOf(components);
  }

  static KerberosName parse(String principal, String defaultRealm) {
    String name = principal;
    String realm = defaultRealm;
    int at = principal.lastIndexOf('@');
    if (at >= 0) {
      name = principal.substring(0, at);
      realm = principal.substring(at + 1);
      if (!realm.matches("[A-Za-z0-9.-]+")) {
        throw new IllegalArgumentException("bad realm in principal '" + principal + "'");
      }
    }
    List<String> parts = List.of(name.split("/", -1));
    for (String part : parts) {
      if (!part.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("unsupported principal '" + principal + "': components must match"
            + " [A-Za-z0-9._-]+ (the harness passes names to kadmin.local and into certificate subjects)");
      }
    }
    return new KerberosName(parts, realm);
  }

  String nameWithoutRealm() {
    return String.join("/", components);
  }

  /** A string safe as a file name. */
  String fileName() {
    return nameWithoutRealm().replace('/', '_');
  }

  @Override
  public String toString() {
    return nameWithoutRealm() + "@" + realm;
  }
}
