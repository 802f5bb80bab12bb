package dev.gtguard.spring.examples;

import dev.gtguard.spring.GtguardOperations;
import dev.gtguard.spring.fixtures.Subscriber;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/** The {@code GtguardTemplate} example, compiled. */
class Subscribers {
  private final GtguardOperations gtguard;

  Subscribers(GtguardOperations gtguard) {
    this.gtguard = gtguard;
  }

  Subscriber changeEmail(String id, String email) {
    return gtguard.update(
        Subscriber.class,
        Key.builder().partitionValue(id).build(),
        s -> {
          s.setEmail(email);
          return s;
        });
  }
}
