package dev.gtguard.spring.web;

import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.exception.VersionConflictException;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Spring MVC handlers that turn gtguard's typed exceptions into RFC 9457 problem details ({@code
 * application/problem+json}). The body says what happened and whether to retry, never the item's
 * key, table or values: the exceptions' own messages, which name them, stay in the logs.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>exception</th><th>status</th><th>properties</th></tr>
 *   <tr><td>{@code ItemNotFoundException}</td><td>404</td><td></td></tr>
 *   <tr><td>{@code VersionConflictException}</td><td>409</td>
 *       <td>expectedVersion, actualVersion</td></tr>
 *   <tr><td>{@code ItemAlreadyExistsException}</td><td>409</td><td></td></tr>
 *   <tr><td>{@code InvalidItemException}</td><td>400</td><td>reason</td></tr>
 *   <tr><td>{@code RetriesExhaustedException}</td><td>503</td><td>attempts</td></tr>
 *   <tr><td>{@code HomeRegionUnavailableException}</td><td>503</td><td></td></tr>
 * </table>
 *
 * <p>Ordered just before the lowest precedence, so that an application's own advice for these
 * exceptions (at a higher precedence) wins, and a catch-all {@code @ExceptionHandler(Exception)} at
 * the default order does not. Switch it off with {@code gtguard.web.problem-details.enabled=false}.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE - 100)
public class GtguardProblemDetails {

  @ExceptionHandler(ItemNotFoundException.class)
  ProblemDetail notFound(ItemNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Item not found", "There is no such item.");
  }

  @ExceptionHandler(VersionConflictException.class)
  ProblemDetail versionConflict(VersionConflictException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.CONFLICT,
            "Version conflict",
            "The item changed since it was read; read it again and reapply the change.");
    problem.setProperty("expectedVersion", e.expectedVersion());
    problem.setProperty("actualVersion", e.actualVersion());
    return problem;
  }

  @ExceptionHandler(ItemAlreadyExistsException.class)
  ProblemDetail alreadyExists(ItemAlreadyExistsException e) {
    return problem(HttpStatus.CONFLICT, "Item already exists", "An item with this key exists.");
  }

  @ExceptionHandler(InvalidItemException.class)
  ProblemDetail invalid(InvalidItemException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, "Invalid item", "The item cannot be written as it is.");
    problem.setProperty("reason", e.reason().name().toLowerCase(Locale.ROOT));
    return problem;
  }

  @ExceptionHandler(RetriesExhaustedException.class)
  ProblemDetail retriesExhausted(RetriesExhaustedException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Too much contention",
            "Concurrent writes to this item won every attempt; try again later.");
    problem.setProperty("attempts", e.attempts());
    return problem;
  }

  @ExceptionHandler(HomeRegionUnavailableException.class)
  ProblemDetail homeRegionUnavailable(HomeRegionUnavailableException e) {
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Home region unavailable",
        "The item's home region cannot be reached; nothing was written. Try again later.");
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    return problem;
  }
}
