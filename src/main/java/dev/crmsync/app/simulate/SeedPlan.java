package dev.crmsync.app.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * Which records of the {@link SeedWorld} a simulator starts with: {@code companies} companies from
 * {@code firstCompany} on, {@code people} people spread round-robin over them, and {@code products} products
 * likewise. Two simulators whose plans overlap in company range hold the same companies and people, which the
 * sync must link rather than duplicate.
 *
 * @param firstCompany the first company's coordinate
 * @param companies    how many companies
 * @param people       how many people in all
 * @param products     how many products in all
 */
public record SeedPlan(int firstCompany, int companies, int people, int products) {

    public SeedPlan {
        if (firstCompany < 0 || companies < 0 || people < 0 || products < 0) {
            throw new IllegalArgumentException("seed counts must be zero or positive");
        }
        if (companies == 0 && (people > 0 || products > 0)) {
            throw new IllegalArgumentException("people and products need at least one company to belong to");
        }
    }

    /**
     * @return the seeded companies, in order
     */
    public List<SeedWorld.Company> companies(SeedWorld world) {
        List<SeedWorld.Company> out = new ArrayList<>(companies);
        for (int i = 0; i < companies; i++) {
            out.add(world.company(firstCompany + i));
        }
        return out;
    }

    /**
     * @return the seeded people, in order; person {@code i} works at company {@code firstCompany + i % companies}
     */
    public List<SeedWorld.Person> people(SeedWorld world) {
        List<SeedWorld.Person> out = new ArrayList<>(people);
        for (int i = 0; i < people; i++) {
            out.add(world.person(firstCompany + i % companies, i / companies));
        }
        return out;
    }

    /**
     * @return the seeded products, in order; a product's person, when it has one, is among the seeded people
     */
    public List<SeedWorld.Product> products(SeedWorld world) {
        List<SeedWorld.Product> out = new ArrayList<>(products);
        for (int i = 0; i < products; i++) {
            int company = i % companies;
            out.add(world.product(firstCompany + company, i / companies, peopleOf(company)));
        }
        return out;
    }

    private int peopleOf(int companyOffset) {
        return people / companies + (companyOffset < people % companies ? 1 : 0);
    }
}
