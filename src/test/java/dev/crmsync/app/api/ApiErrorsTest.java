package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.service.ServiceBusyException;
import io.javalin.http.Context;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    /** A request whose response Jetty has recycled: whatever touches it fails, as Jetty's does. */
    private static Context gone() {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("path")) {
                        return "/api/events";
                    }
                    throw new IllegalStateException("Response does not exist (likely recycled)");
                });
    }

    @Test
    void shouldEndQuietlyWhenTheResponseIsGoneForEveryKindOfFailureSoThatJavalinDoesNotLoopOnIt() {
        Context gone = gone();
        assertThatThrownBy(() -> ApiProblem.write(gone, 500, "Internal error", "x"))
                .as("the fake behaves like a recycled response")
                .isInstanceOf(IllegalStateException.class);
        List<Exception> failures = List.of(ApiProblem.notFound("no such link"), new ServiceBusyException("busy"),
                new IllegalArgumentException("bad"), new IllegalStateException("Response does not exist"),
                new RuntimeException("boom"));

        assertThat(ApiErrors.handlers()).hasSize(failures.size());
        ApiErrors.handlers().forEach((type, handler) -> {
            Exception failure = failures.stream().filter(f -> f.getClass() == type).findFirst()
                    .orElse(new Exception("any"));
            assertThatCode(() -> handler.handle(failure, gone)).as(type.getSimpleName()).doesNotThrowAnyException();
        });
    }
}
