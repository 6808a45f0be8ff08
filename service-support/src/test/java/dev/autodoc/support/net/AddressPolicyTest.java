package dev.autodoc.support.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {
  @ParameterizedTest
  @CsvSource({
    "169.254.169.254, link-local",
    "127.0.0.1, loopback",
    "127.0.0.2, loopback",
    "10.1.2.3, private",
    "172.16.0.1, private",
    "192.168.1.1, private",
    "100.64.0.1, private",
    "0.0.0.0, wildcard",
    "::1, loopback",
    "fe80::1, link-local",
    "fd00::1, private",
    "::ffff:169.254.169.254, link-local",
  })
  void nonPublicAddressesAreRefusedNamingTheirKindAndTheSetting(String address, String kind)
      throws Exception {
    assertThatThrownBy(
            () -> AddressPolicy.publicOnly().check("h.example", InetAddress.getByName(address)))
        .isInstanceOf(AddressPolicy.Refused.class)
        .hasMessageContaining("a " + kind + " address")
        .hasMessageContaining(AddressPolicy.SETTING);
  }

  @Test
  void publicAddressesAndAllowListedOnesPass() throws Exception {
    AddressPolicy.publicOnly().check("example.org", InetAddress.getByName("93.184.216.34"));
    AddressPolicy.publicOnly().check("v6.example", InetAddress.getByName("2606:2800:220:1::1"));
    var policy = new AddressPolicy(List.of("10.0.0.0/8", "git.internal", "::1"));
    policy.check("a", InetAddress.getByName("10.20.30.40"));
    policy.check("git.internal", InetAddress.getByName("192.168.0.9"));
    policy.check("b", InetAddress.getByName("::1"));
    policy.check("c", InetAddress.getByName("11.0.0.1"));
    assertThatThrownBy(() -> policy.check("c", InetAddress.getByName("192.168.0.9")))
        .isInstanceOf(AddressPolicy.Refused.class);
    assertThat(policy.allowsHost("GIT.internal")).isTrue();
  }

  @Test
  void aNameIsCheckedOnEveryAddressItResolvesTo() {
    assertThatThrownBy(() -> AddressPolicy.publicOnly().resolve("localhost"))
        .isInstanceOf(AddressPolicy.Refused.class)
        .hasMessageContaining("host 'localhost'");
  }
}
