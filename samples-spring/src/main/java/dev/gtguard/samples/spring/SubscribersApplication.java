package dev.gtguard.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The subscribers service: {@code application.yml} names the two regions, the starter does the
 * rest. Against AWS, set {@code AWS_REGION} (the region this instance runs in) and credentials as
 * for any SDK client. To run it on your machine, see {@code LocalSubscribers} in the tests.
 */
@SpringBootApplication
public class SubscribersApplication {

  public static void main(String[] args) {
    SpringApplication.run(SubscribersApplication.class, args);
  }

  /** Refuses a blank address; a real service would ask a postal-address service. */
  @Bean
  @ConditionalOnMissingBean
  AddressCheck addressCheck() {
    return (subscriber, address) -> {
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("a delivery address is required");
      }
    };
  }
}
