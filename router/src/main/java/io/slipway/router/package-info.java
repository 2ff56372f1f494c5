/** The router: maps an HTTP request's Host to one of the app's up web dynos and proxies it. */
package io.slipway.router;
