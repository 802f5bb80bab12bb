package dev.gtguard.spring.app;

import dev.gtguard.enhanced.VersionedEntityTable;
import dev.gtguard.spring.GtguardOperations;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/** Uses both ways in: the template, and the table injected by its generic type. */
@RestController
@RequestMapping("/accounts")
class AccountController {
  private final GtguardOperations gtguard;
  private final VersionedEntityTable<Account> accounts;

  AccountController(GtguardOperations gtguard, VersionedEntityTable<Account> accounts) {
    this.gtguard = gtguard;
    this.accounts = accounts;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Account create(@RequestBody Account account) {
    return gtguard.create(account);
  }

  @GetMapping("/{id}")
  ResponseEntity<Account> get(@PathVariable("id") String id) {
    return ResponseEntity.of(accounts.get(key(id)));
  }

  /** A save at the version the client holds: 409 when someone else wrote in between. */
  @PutMapping("/{id}")
  Account save(@PathVariable("id") String id, @RequestBody Account account) {
    account.setId(id);
    return gtguard.save(account);
  }

  /** Read-modify-retry: never a conflict, 404 when there is no such account. */
  @PutMapping("/{id}/owner")
  Account changeOwner(@PathVariable("id") String id, @RequestBody String owner) {
    return gtguard.update(
        Account.class,
        key(id),
        a -> {
          a.setOwner(owner);
          return a;
        });
  }

  private static Key key(String id) {
    return Key.builder().partitionValue(id).build();
  }
}
