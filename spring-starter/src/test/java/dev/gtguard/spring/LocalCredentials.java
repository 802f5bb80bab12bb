package dev.gtguard.spring;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** DynamoDB Local's credentials as the application's {@code AwsCredentialsProvider} bean. */
@TestConfiguration(proxyBeanMethods = false)
public class LocalCredentials {
  @Bean
  AwsCredentialsProvider localCredentials() {
    return LocalContexts.credentials();
  }
}
