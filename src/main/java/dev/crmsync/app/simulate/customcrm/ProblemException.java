package dev.crmsync.app.simulate.customcrm;

/**
 * Carries a {@link Problem} out of the code that found it to the HTTP layer, which answers with it.
 */
final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    /**
     * @return the problem to answer with
     */
    Problem problem() {
        return problem;
    }
}
