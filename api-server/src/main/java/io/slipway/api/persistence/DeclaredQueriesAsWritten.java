package io.slipway.api.persistence;

import org.springframework.data.jpa.repository.query.DeclaredQuery;
import org.springframework.data.jpa.repository.query.QueryEnhancerFactories;
import org.springframework.data.jpa.repository.query.QueryEnhancerFactory;
import org.springframework.data.jpa.repository.query.QueryEnhancerSelector;

/**
 * Spring Data keeps every {@code @Query} as written instead of parsing it with its own HQL grammar.
 *
 * <p>Why: that parse (ANTLR, its grammar's caches built on first use) ran for every declared query while the
 * repositories were created, a tenth of an api-server's start-up in a profile (docs/benchmarks.md, "Start-up").
 * Spring Data needs the parse only to rewrite a query: to add a {@code Sort} or derive a count query for a
 * {@code Pageable}. No repository method here takes either, and the simple rewriter chosen instead still
 * handles both for plain queries. Hibernate still parses and checks every query at start, so a query that
 * does not fit the entities still stops the start.
 */
public final class DeclaredQueriesAsWritten implements QueryEnhancerSelector {
    @Override
    public QueryEnhancerFactory select(DeclaredQuery query) {
        return QueryEnhancerFactories.fallback();
    }
}
