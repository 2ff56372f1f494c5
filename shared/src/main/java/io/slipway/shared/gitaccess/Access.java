package io.slipway.shared.gitaccess;

import java.util.Map;

/**
 * What the api-server granted for one git operation: who, which app, and for a push the short-lived token the
 * gateway uses on the public API as that user (null for a fetch).
 */
public record Access(String accountId, String email, String appId, String appName, String stack, String webUrl,
                     String pushToken, String pushTokenId) {

    public static Access of(Map<String, Object> json) {
        return new Access(s(json, "account_id"), s(json, "email"), s(json, "app_id"), s(json, "app_name"),
                s(json, "stack"), s(json, "web_url"), s(json, "push_token"), s(json, "push_token_id"));
    }

    private static String s(Map<String, Object> json, String field) {
        Object v = json.get(field);
        return v instanceof String str ? str : null;
    }

    @Override
    public String toString() {
        return "Access[" + email + " -> " + appName + "]"; // never the token
    }
}
