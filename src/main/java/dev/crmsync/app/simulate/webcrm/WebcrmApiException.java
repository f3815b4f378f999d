package dev.crmsync.app.simulate.webcrm;

/**
 * A request the simulator refuses, carrying what the client is told: the status and the error body's
 * {@code Message} and {@code Type} (see {@link WebcrmErrors}).
 *
 * <p>This class is threadsafe: it is immutable.
 */
public final class WebcrmApiException extends RuntimeException {

    private final int status;
    private final String type;

    private WebcrmApiException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    /**
     * @param message what is wrong with the request, for a person to read
     * @return a 400 of type {@code ValidationException}
     */
    public static WebcrmApiException invalid(String message) {
        return new WebcrmApiException(400, "ValidationException", message);
    }

    /**
     * @param message why the request is too large
     * @return a 413 of type {@code PayloadTooLargeException}
     */
    public static WebcrmApiException tooLarge(String message) {
        return new WebcrmApiException(413, "PayloadTooLargeException", message);
    }

    /**
     * @param entity the record kind looked for
     * @param id     the id that does not exist
     * @return a 404 of type {@code NotFoundException}
     */
    public static WebcrmApiException notFound(WebcrmEntity entity, int id) {
        return new WebcrmApiException(404, "NotFoundException",
                entity.singular() + " with id " + id + " was not found");
    }

    /**
     * @param entity the record kind whose hooks were looked in
     * @param id     the hook id that the caller does not have
     * @return a 404 of type {@code NotFoundException}
     */
    public static WebcrmApiException hookNotFound(WebcrmEntity entity, long id) {
        return new WebcrmApiException(404, "NotFoundException",
                entity.singular() + " hook with id " + id + " was not found");
    }

    /**
     * @return the HTTP status to answer with
     */
    public int status() {
        return status;
    }

    /**
     * @return the error body's {@code Type}
     */
    public String type() {
        return type;
    }
}
