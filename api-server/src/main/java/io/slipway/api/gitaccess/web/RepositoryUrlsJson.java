package io.slipway.api.gitaccess.web;

import io.slipway.api.gitaccess.RepositoryUrls;

/** Same field names as Heroku's {@code source_blob}: {@code get_url}, {@code put_url}. */
public record RepositoryUrlsJson(String getUrl, String putUrl) {
    public static RepositoryUrlsJson of(RepositoryUrls.Urls urls) {
        return new RepositoryUrlsJson(urls.getUrl(), urls.putUrl());
    }
}
