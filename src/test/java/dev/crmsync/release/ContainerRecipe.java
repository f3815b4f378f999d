package dev.crmsync.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code Containerfile} read as instructions: comment lines dropped, lines ending in {@code \} joined to the next.
 *
 * @param instructions in file order
 */
record ContainerRecipe(List<Instruction> instructions) {

    /**
     * @param keyword   e.g. {@code RUN}, upper case
     * @param arguments the rest of the instruction, continuation lines joined with a space
     */
    record Instruction(String keyword, String arguments) {
    }

    /**
     * @param text the file
     * @return its instructions
     */
    static ContainerRecipe parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            pending.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String joined = pending.toString().strip();
                pending.setLength(0);
                int space = joined.indexOf(' ');
                instructions.add(new Instruction(joined.substring(0, space).toUpperCase(Locale.ROOT),
                        joined.substring(space + 1).strip()));
            }
        }
        return new ContainerRecipe(instructions);
    }

    /**
     * @param keyword e.g. {@code USER}
     * @return the arguments of every instruction of that kind
     */
    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /**
     * @param keyword e.g. {@code USER}
     * @return the arguments of the last instruction of that kind, the one in force
     */
    Optional<String> last(String keyword) {
        List<String> all = all(keyword);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }
}
