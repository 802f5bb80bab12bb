package dev.gtguard.spring.app;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.gtguard.spring.LocalCredentials;
import dev.gtguard.testkit.EmbeddedDynamoDb;
import dev.gtguard.testkit.LocalDynamoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The starter in a whole Spring Boot application on embedded DynamoDB Local: the scanned entity's
 * table injected by its generic type, problem details for the library's exceptions, the {@code
 * gtguard} health and the {@code gtguard.*} meters through Actuator.
 */
@SpringBootTest(
    properties = {
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.show-details=always",
      // spring-cloud-aws's starter is on this module's test class path too.
      "spring.cloud.aws.region.static=eu-west-1"
    })
@AutoConfigureMockMvc
@Import(LocalCredentials.class)
class GtguardApplicationTest {
  private static final EmbeddedDynamoDb DDB = EmbeddedDynamoDb.start();
  private static final String TABLE = LocalDynamoDb.uniqueTableName("account");

  @Autowired private MockMvc mvc;

  @DynamicPropertySource
  static void gtguard(DynamicPropertyRegistry registry) {
    LocalDynamoDb.createTable(DDB.client(), TABLE, "id", null);
    registry.add("gtguard.local-region", () -> "eu-west-1");
    registry.add("gtguard.regions[0].name", () -> "eu-west-1");
    registry.add("gtguard.regions[0].endpoint", DDB::endpoint);
    registry.add("gtguard.table-suffix", () -> TABLE.substring("account".length()));
  }

  @AfterAll
  static void stop() {
    DDB.close();
  }

  @Test
  void writes_andTheProblemDetailsOfEachRefusal() throws Exception {
    mvc.perform(json(post("/accounts"), "{\"id\":\"acc-1\",\"owner\":\"Ada\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.version").value(1));
    mvc.perform(json(put("/accounts/acc-1"), "{\"owner\":\"Grace\",\"version\":1}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.version").value(2));

    mvc.perform(json(put("/accounts/acc-1"), "{\"owner\":\"Stale\",\"version\":1}"))
        .andExpect(status().isConflict())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Version conflict"))
        .andExpect(jsonPath("$.expectedVersion").value(1))
        .andExpect(jsonPath("$.actualVersion").value(2))
        .andExpect(jsonPath("$.detail", not(containsString("acc-1"))))
        .andExpect(jsonPath("$.table").doesNotExist());
    mvc.perform(json(post("/accounts"), "{\"id\":\"acc-1\",\"owner\":\"Twice\"}"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.title").value("Item already exists"));
    mvc.perform(json(put("/accounts/nobody/owner"), "Nobody"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail", not(containsString("nobody"))));
    mvc.perform(json(post("/accounts"), "{\"id\":\"\",\"owner\":\"No key\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.title").value("Invalid item"))
        .andExpect(jsonPath("$.reason").exists());

    mvc.perform(get("/accounts/acc-1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.owner").value("Grace"));
  }

  @Test
  void actuator_showsTheRegionsAndTheMeters() throws Exception {
    mvc.perform(json(post("/accounts"), "{\"id\":\"acc-2\",\"owner\":\"Ada\"}"))
        .andExpect(status().isCreated());

    mvc.perform(get("/actuator/health/gtguard"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"))
        .andExpect(jsonPath("$.details.localRegion").value("eu-west-1"))
        .andExpect(
            jsonPath("$.details.regions['eu-west-1'].tables['" + TABLE + "']").value("ACTIVE"));
    mvc.perform(get("/actuator/metrics/gtguard.writes").param("tag", "operation:create"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.availableTags[?(@.tag == 'table')].values[0]").value(TABLE));
  }

  private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder json(
      org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
      String body) {
    return request.contentType(MediaType.APPLICATION_JSON).content(body);
  }
}
