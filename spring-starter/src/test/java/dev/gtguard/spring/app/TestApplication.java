package dev.gtguard.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A service as a user writes it: the starter, one entity, one controller. */
@SpringBootApplication
public class TestApplication {}
