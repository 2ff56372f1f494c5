/** The dyno-agent: one per host, runs the dynos the api-server's scheduler assigns to it. */
package io.slipway.dynoagent;
