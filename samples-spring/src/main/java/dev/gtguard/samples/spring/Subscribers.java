package dev.gtguard.samples.spring;

import dev.gtguard.spring.GtguardOperations;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/** The subscribers' use cases; every write a read-modify-retry in the subscriber's home region. */
@Service
public class Subscribers {
  private final GtguardOperations gtguard;
  private final AddressCheck addresses;

  public Subscribers(GtguardOperations gtguard, AddressCheck addresses) {
    this.gtguard = gtguard;
    this.addresses = addresses;
  }

  public Subscriber changeAddress(String id, String address) {
    return gtguard.update(
        Subscriber.class,
        Key.builder().partitionValue(id).build(),
        s -> {
          addresses.check(s, address); // runs again on the current item after a conflict
          s.setDeliveryAddress(address);
          return s;
        });
  }

  public Subscriber markContacted(String id, Instant at) {
    // README:update
    return gtguard.update(
        Subscriber.class,
        key(id),
        s -> {
          s.setLastContacted(at.toString()); // runs again on the current item after a conflict
          return s;
        });
    // README:end
  }

  public Subscriber create(Subscriber subscriber) {
    return gtguard.create(subscriber);
  }

  public Optional<Subscriber> get(String id) {
    return gtguard.get(Subscriber.class, key(id));
  }

  private static Key key(String id) {
    return Key.builder().partitionValue(id).build();
  }
}
