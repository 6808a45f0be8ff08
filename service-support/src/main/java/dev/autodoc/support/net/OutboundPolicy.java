package dev.autodoc.support.net;

import dev.autodoc.support.SupportConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The address policy of this service's outbound connections, from {@code allowed-hosts}. */
@ApplicationScoped
public class OutboundPolicy {
  @Produces
  @Singleton
  AddressPolicy policy(SupportConfig config) {
    return new AddressPolicy(config.allowedHosts().orElse(List.of()));
  }
}
