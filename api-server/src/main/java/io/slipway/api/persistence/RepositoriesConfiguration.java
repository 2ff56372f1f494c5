package io.slipway.api.persistence;

import io.slipway.api.ApiServerApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The Spring Data repositories of every package, as Spring Boot would find them, declared here only to choose how
 * their queries are read ({@link DeclaredQueriesAsWritten}); Boot has no property for it.
 */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories(basePackageClasses = ApiServerApplication.class, queryEnhancerSelector = DeclaredQueriesAsWritten.class)
class RepositoriesConfiguration {}
