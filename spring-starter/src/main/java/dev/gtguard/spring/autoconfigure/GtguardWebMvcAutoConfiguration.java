package dev.gtguard.spring.autoconfigure;

import dev.gtguard.exception.GlobalTablesException;
import dev.gtguard.spring.web.GtguardProblemDetails;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * {@link GtguardProblemDetails} in a Spring MVC application; {@code
 * gtguard.web.problem-details.enabled=false} switches it off.
 */
@AutoConfiguration(after = GtguardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, ProblemDetail.class, GlobalTablesException.class})
@ConditionalOnBooleanProperty(name = "gtguard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "gtguard.web.problem-details.enabled", matchIfMissing = true)
public final class GtguardWebMvcAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  GtguardProblemDetails gtguardProblemDetails() {
    return new GtguardProblemDetails();
  }
}
