package dev.gtguard.samples.spring;

/**
 * Checks a new delivery address against the subscriber as read, e.g. with a postal-address service.
 * It runs inside the read-modify-retry update, so it runs again when the update meets a concurrent
 * write. The default refuses a blank address.
 */
@FunctionalInterface
public interface AddressCheck {

  /**
   * @throws IllegalArgumentException if the address cannot be the subscriber's
   */
  void check(Subscriber subscriber, String address);
}
