package dev.crmsync.archfixture.model;

import java.net.http.HttpClient;

/** Breaks the layering on purpose: a model value that reaches for HTTP. Only {@code LayeringTest} reads it. */
public final class LeakyModel {

    /** @return a client the model must never hold */
    public HttpClient client() {
        return HttpClient.newHttpClient();
    }
}
