package dev.gtguard.samples.spring;

import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The subscribers API. Conflicts are resolved by the read-modify-retry updates; what cannot be
 * written comes back as problem details (404 unknown subscriber, 409 duplicate, 503 home region
 * unreachable), and a refused address as a 400.
 *
 * <pre>
 * POST /subscribers                  {"id":"4711","deliveryAddress":"...","homeRegion":"eu-west-1"}
 * GET  /subscribers/{id}
 * PUT  /subscribers/{id}/address     {"address":"221B Baker Street, London"}
 * POST /subscribers/{id}/contacted   {"at":"2024-11-22T14:07:12.189Z"} (default: now)
 * </pre>
 */
@RestController
@RequestMapping("/subscribers")
class SubscriberController {
  private final Subscribers subscribers;

  SubscriberController(Subscribers subscribers) {
    this.subscribers = subscribers;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Subscriber create(@RequestBody Subscriber subscriber) {
    return subscribers.create(subscriber);
  }

  @GetMapping("/{id}")
  ResponseEntity<Subscriber> get(@PathVariable("id") String id) {
    return ResponseEntity.of(subscribers.get(id));
  }

  @PutMapping("/{id}/address")
  Subscriber changeAddress(@PathVariable("id") String id, @RequestBody AddressChange change) {
    return subscribers.changeAddress(id, change.address());
  }

  @PostMapping("/{id}/contacted")
  Subscriber markContacted(
      @PathVariable("id") String id, @RequestBody(required = false) Contact contact) {
    return subscribers.markContacted(
        id, contact == null || contact.at() == null ? Instant.now() : contact.at());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail refused(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  record AddressChange(String address) {}

  record Contact(Instant at) {}
}
