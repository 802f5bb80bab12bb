package dev.gtguard.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.gtguard.ExpectedVersion;
import dev.gtguard.ItemKey;
import dev.gtguard.VersionedItem;
import dev.gtguard.exception.GlobalTablesException;
import dev.gtguard.exception.HomeRegionUnavailableException;
import dev.gtguard.exception.InvalidItemException;
import dev.gtguard.exception.ItemAlreadyExistsException;
import dev.gtguard.exception.ItemNotFoundException;
import dev.gtguard.exception.RetriesExhaustedException;
import dev.gtguard.exception.VersionConflictException;
import dev.gtguard.spring.autoconfigure.GtguardAutoConfiguration;
import dev.gtguard.spring.autoconfigure.GtguardWebMvcAutoConfiguration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.DispatcherServlet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each typed exception's problem details, and when the handlers are (not) registered. The key
 * {@code secret-key} is in every exception's message; it must never reach a response.
 */
class GtguardProblemDetailsTest {
  private static final ItemKey KEY = ItemKey.of("id", "secret-key");
  private static final Map<String, Supplier<GlobalTablesException>> THROWN =
      Map.of(
          "not-found",
          () -> new ItemNotFoundException("accounts", KEY, "eu-west-1", null),
          "conflict",
          () ->
              new VersionConflictException(
                  "accounts", KEY, "eu-west-1", ExpectedVersion.versionOnly(3), item(5), null),
          "exists",
          () -> new ItemAlreadyExistsException("accounts", KEY, "eu-west-1", item(1), null),
          "invalid",
          () ->
              new InvalidItemException(
                  InvalidItemException.Reason.ITEM_TOO_LARGE,
                  "item secret-key too large",
                  "accounts",
                  KEY,
                  null),
          "exhausted",
          () -> new RetriesExhaustedException("accounts", KEY, "eu-west-1", 8, 41, null),
          "home-down",
          () -> new HomeRegionUnavailableException("accounts", KEY, "us-east-1", null));

  private final MockMvc mvc =
      MockMvcBuilders.standaloneSetup(new Throwing())
          .setControllerAdvice(new GtguardProblemDetails())
          .build();

  @Test
  void notFound_404() throws Exception {
    problem("not-found", 404, "Item not found");
  }

  @Test
  void versionConflict_409_withBothVersions() throws Exception {
    problem("conflict", 409, "Version conflict")
        .andExpect(jsonPath("$.expectedVersion").value(3))
        .andExpect(jsonPath("$.actualVersion").value(5));
  }

  @Test
  void alreadyExists_409() throws Exception {
    problem("exists", 409, "Item already exists");
  }

  @Test
  void invalidItem_400_withTheReason() throws Exception {
    problem("invalid", 400, "Invalid item").andExpect(jsonPath("$.reason").value("item_too_large"));
  }

  @Test
  void retriesExhausted_503_withTheAttempts() throws Exception {
    problem("exhausted", 503, "Too much contention").andExpect(jsonPath("$.attempts").value(8));
  }

  @Test
  void homeRegionUnavailable_503() throws Exception {
    problem("home-down", 503, "Home region unavailable");
  }

  @Test
  void registeredInServletApplications_unlessSwitchedOff() {
    WebApplicationContextRunner web =
        new WebApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    GtguardAutoConfiguration.class, GtguardWebMvcAutoConfiguration.class))
            .withPropertyValues("gtguard.local-region=eu-west-1");
    web.run(context -> assertThat(context).hasSingleBean(GtguardProblemDetails.class));
    web.withPropertyValues("gtguard.web.problem-details.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(GtguardProblemDetails.class));
    web.withPropertyValues("gtguard.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(GtguardProblemDetails.class));
    web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
        .run(context -> assertThat(context).doesNotHaveBean(GtguardProblemDetails.class));
    web.withBean("own", GtguardProblemDetails.class, GtguardProblemDetails::new)
        .run(
            context ->
                assertThat(context.getBeanNamesForType(GtguardProblemDetails.class))
                    .containsExactly("own"));
  }

  private ResultActions problem(String name, int status, String title) throws Exception {
    return mvc.perform(get("/throw/" + name))
        .andExpect(status().is(status))
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.title").value(title))
        .andExpect(jsonPath("$.detail").isNotEmpty())
        .andExpect(content().string(not(containsString("secret-key"))))
        .andExpect(content().string(not(containsString("accounts"))));
  }

  private static VersionedItem item(long version) {
    return new VersionedItem(
        Map.of("id", AttributeValue.fromS("secret-key")), version, "token-" + version, false);
  }

  @RestController
  static class Throwing {
    @GetMapping("/throw/{name}")
    String fail(@PathVariable("name") String name) {
      throw THROWN.get(name).get();
    }
  }
}
