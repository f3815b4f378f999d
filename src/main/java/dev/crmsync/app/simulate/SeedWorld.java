package dev.crmsync.app.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic, endless world of realistic European companies, the people who work there and the products
 * they hold, from which both simulators seed their data.
 *
 * <p>Every value is a pure function of the seed and the record's coordinates, so two simulators started with the
 * same seed describe the same companies: a company seeded into both has the same VAT number on both sides, and a
 * person the same e-mail address. That is what gives the demo and the tests realistic first-link matches.
 *
 * <p>Coordinates: company {@code c} (from 0); person {@code k} of company {@code c}; product {@code k} of company
 * {@code c}.
 *
 * <p>This class is threadsafe: it holds only the seed.
 */
public final class SeedWorld {

    /** A company as both CRMs would hold it; {@code countryCode} is ISO 3166-1 alpha-2. */
    public record Company(int index, String name, String vatNumber, String street, String postalCode, String city,
                          String state, String countryCode, String phone, String website, String domain,
                          String industry, String type, String status, String notes) {
    }

    /** A person; {@code status} is one of Active, Resigned, Other, Guest (webCRM's spelling). */
    public record Person(int companyIndex, int number, String firstName, String middleName, String lastName,
                         String email, String secondaryEmail, String directPhone, String mobilePhone, String title,
                         String salutation, String status, LocalDate birthday, String notes) {
    }

    /** A product held by a company, optionally by one of its people ({@code personNumber} or -1). */
    public record Product(int companyIndex, int number, int personNumber, String name, String description,
                          BigDecimal price, BigDecimal listPrice, BigDecimal costPrice, BigDecimal discountPercent,
                          BigDecimal quantity, String vatCode, int year, String stockStatus) {
    }

    private record Place(String countryCode, String city, String postalCode, String state, String phonePrefix,
                         String vatPrefix, List<String> legalForms) {
    }

    private static final List<Place> PLACES = List.of(
            new Place("DK", "København K", "1050", "Hovedstaden", "+45", "DK", List.of("A/S", "ApS")),
            new Place("DK", "Aarhus C", "8000", "Midtjylland", "+45", "DK", List.of("A/S", "ApS")),
            new Place("DK", "Odense C", "5000", "Syddanmark", "+45", "DK", List.of("A/S", "ApS")),
            new Place("DK", "Aalborg", "9000", "Nordjylland", "+45", "DK", List.of("A/S", "ApS")),
            new Place("DK", "Herning", "7400", "Midtjylland", "+45", "DK", List.of("A/S", "ApS")),
            new Place("DK", "Kolding", "6000", "Syddanmark", "+45", "DK", List.of("A/S", "ApS")),
            new Place("SE", "Malmö", "211 20", "Skåne", "+46", "SE", List.of("AB")),
            new Place("SE", "Göteborg", "411 04", "Västra Götaland", "+46", "SE", List.of("AB")),
            new Place("NO", "Oslo", "0150", "Oslo", "+47", "NO", List.of("AS")),
            new Place("DE", "Hamburg", "20095", "Hamburg", "+49", "DE", List.of("GmbH", "AG")),
            new Place("DE", "Kiel", "24103", "Schleswig-Holstein", "+49", "DE", List.of("GmbH")),
            new Place("NL", "Rotterdam", "3011 AA", "Zuid-Holland", "+31", "NL", List.of("B.V.")),
            new Place("FI", "Helsinki", "00100", "Uusimaa", "+358", "FI", List.of("Oy")),
            new Place("GB", "Manchester", "M1 1AE", "Greater Manchester", "+44", "GB", List.of("Ltd")));

    private static final List<String> NAME_FIRST = List.of(
            "Nordisk", "Dansk", "Vestjysk", "Fynsk", "Baltic", "Nordic", "Hansa", "Øresund", "Limfjord", "Skagen",
            "Nordsø", "Kattegat", "Jysk", "Sjællands", "Viking", "Polar", "Lindholm", "Bornholm", "Møller", "Holm");
    private static final List<String> NAME_SECOND = List.of(
            "Stål", "Trælast", "Emballage", "Logistik", "Software", "Maskinfabrik", "Consult", "Energi",
            "Fødevarer", "Medico", "Byg", "Automation", "Transport", "Elektro", "Design", "Agro", "Plast",
            "Marine", "Finans", "Data");
    private static final List<String> INDUSTRIES = List.of(
            "Manufacturing", "Logistics", "Software", "Construction", "Energy", "Food and beverages",
            "Health care", "Retail", "Consulting", "Agriculture", "Maritime", "Finance");
    private static final List<String> TYPES = List.of("Customer", "Customer", "Customer", "Prospect", "Partner",
            "Supplier");
    private static final List<String> STATUSES = List.of("A customer", "A customer", "B customer", "C customer",
            "Lead");
    private static final Map<String, List<String>> STREETS = Map.of(
            "DK", List.of("Vestergade", "Østergade", "Nørregade", "Søndergade", "Havnegade", "Industrivej",
                    "Strandvejen", "Kongevejen", "Hovedgaden", "Parkvej", "Skolegade", "Banegårdspladsen"),
            "SE", List.of("Storgatan", "Kungsgatan", "Drottninggatan", "Hamngatan", "Industrigatan"),
            "NO", List.of("Storgata", "Kirkegata", "Karl Johans gate", "Havnegata"),
            "DE", List.of("Hauptstraße", "Bahnhofstraße", "Hafenstraße", "Industriestraße", "Schulstraße"),
            "NL", List.of("Kerkstraat", "Havenstraat", "Stationsweg", "Coolsingel"),
            "FI", List.of("Mannerheimintie", "Aleksanterinkatu", "Satamakatu", "Teollisuuskatu"),
            "GB", List.of("High Street", "Station Road", "Market Street", "Mill Lane"));
    private static final List<String> FIRST_NAMES = List.of(
            "Anders", "Mette", "Søren", "Camilla", "Lars", "Pernille", "Jesper", "Sofie", "Mikkel", "Line",
            "Rasmus", "Ida", "Henrik", "Louise", "Thomas", "Maja", "Kasper", "Anne", "Niels", "Signe", "Erik",
            "Astrid", "Johan", "Ingrid", "Lukas", "Emma", "Jonas", "Freja", "Mads", "Karin");
    private static final List<String> MIDDLE_NAMES = List.of("Emil", "Marie", "Christian", "Louise", "Peter",
            "Sofie");
    private static final List<String> LAST_NAMES = List.of(
            "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
            "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
            "Johansson", "Lindqvist", "Berg", "Schmidt", "de Vries", "Virtanen", "Holm", "Dahl");
    private static final List<String> TITLES = List.of(
            "CEO", "CFO", "Purchasing Manager", "Sales Director", "IT Manager", "Office Manager", "Controller",
            "Head of Operations", "Project Manager", "Account Manager");
    private static final List<String> PRODUCT_NAMES = List.of(
            "Service agreement Gold", "Service agreement Silver", "Pallet racking system", "Forklift FT-20",
            "CRM licence (10 users)", "Support hours bundle", "Conveyor belt CB-300", "Label printer LP-4",
            "Cold storage unit", "Industrial scale IS-150", "Safety training course", "Spare parts kit");
    private static final List<String> STOCK_STATUSES = List.of("In stock", "In stock", "Ordered", "Delivered",
            "Discontinued");

    private final long seed;

    /**
     * @param seed the world's seed; the same seed gives the same world
     */
    public SeedWorld(long seed) {
        this.seed = seed;
    }

    /**
     * @param index the company's coordinate, from 0
     * @return the company
     */
    public Company company(int index) {
        SplittableRandom r = random(1, index, 0);
        Place place = pick(r, PLACES);
        String core = pick(r, NAME_FIRST) + " " + pick(r, NAME_SECOND);
        // The index keeps names, domains and VAT numbers unique however many companies are seeded.
        String name = core + (index >= NAME_FIRST.size() * NAME_SECOND.size() / 4 ? " " + (index + 1) : "")
                + " " + pick(r, place.legalForms());
        String slug = slug(core) + (index + 1);
        String domain = slug + "." + place.countryCode().toLowerCase(Locale.ROOT);
        String vat = place.vatPrefix() + String.format(Locale.ROOT, "%08d", 10_000_000 + index * 7_919 % 89_999_999);
        return new Company(index, name, vat,
                pick(r, STREETS.get(place.countryCode())) + " " + (1 + r.nextInt(120)),
                place.postalCode(), place.city(), place.state(), place.countryCode(),
                place.phonePrefix() + " " + digits(r, 8),
                "https://www." + domain, domain,
                pick(r, INDUSTRIES), pick(r, TYPES), pick(r, STATUSES),
                r.nextInt(4) == 0 ? "Framework agreement renewed " + (2020 + r.nextInt(6)) + "." : null);
    }

    /**
     * @param companyIndex the company's coordinate
     * @param number       which of its people, from 0
     * @return the person
     */
    public Person person(int companyIndex, int number) {
        SplittableRandom r = random(2, companyIndex, number);
        Company company = company(companyIndex);
        String first = pick(r, FIRST_NAMES);
        String last = pick(r, LAST_NAMES);
        String middle = r.nextInt(5) == 0 ? pick(r, MIDDLE_NAMES) : null;
        String local = slug(first) + "." + slug(last) + (number > 0 ? Integer.toString(number) : "");
        String prefix = company.phone().substring(0, company.phone().indexOf(' '));
        String[] statuses = {"Active", "Active", "Active", "Active", "Active", "Resigned", "Guest", "Other"};
        return new Person(companyIndex, number, first, middle, last,
                local + "@" + company.domain(),
                r.nextInt(4) == 0 ? local + "@gmail.com" : null,
                prefix + " " + digits(r, 8), prefix + " " + digits(r, 8),
                pick(r, TITLES), r.nextBoolean() ? "Dear " + first : null,
                statuses[r.nextInt(statuses.length)],
                r.nextInt(3) == 0 ? null : LocalDate.of(1955 + r.nextInt(45), 1 + r.nextInt(12), 1 + r.nextInt(28)),
                r.nextInt(5) == 0 ? "Prefers e-mail over phone." : null);
    }

    /**
     * @param companyIndex    the company's coordinate
     * @param number          which of its products, from 0
     * @param peopleInCompany how many of the company's people are seeded, so a product names only a seeded one
     * @return the product
     */
    public Product product(int companyIndex, int number, int peopleInCompany) {
        SplittableRandom r = random(3, companyIndex, number);
        BigDecimal listPrice = BigDecimal.valueOf(500 + r.nextInt(200_000)).setScale(2, RoundingMode.UNNECESSARY);
        BigDecimal discount = BigDecimal.valueOf(r.nextInt(5) * 5L).setScale(2, RoundingMode.UNNECESSARY);
        BigDecimal price = listPrice.multiply(BigDecimal.valueOf(100).subtract(discount))
                .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        BigDecimal cost = listPrice.multiply(BigDecimal.valueOf(55 + r.nextInt(20)))
                .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        int person = peopleInCompany > 0 && r.nextBoolean() ? r.nextInt(peopleInCompany) : -1;
        String name = pick(r, PRODUCT_NAMES);
        return new Product(companyIndex, number, person, name,
                r.nextBoolean() ? name + ", installed on site." : null,
                price, listPrice, cost, discount, BigDecimal.valueOf(1 + r.nextInt(20)),
                r.nextInt(6) == 0 ? "Exempt" : "25%", 2015 + r.nextInt(11), pick(r, STOCK_STATUSES));
    }

    private SplittableRandom random(int kind, int a, int b) {
        long mixed = seed * 0x9E3779B97F4A7C15L + kind * 0xBF58476D1CE4E5B9L + a * 0x94D049BB133111EBL + b;
        return new SplittableRandom(mixed);
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private static String digits(SplittableRandom r, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? 2 + r.nextInt(8) : r.nextInt(10));
            if (i % 2 == 1 && i < count - 1) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    private static String slug(String text) {
        String ascii = text.toLowerCase(Locale.ROOT)
                .replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("ä", "a").replace("ö", "o");
        ascii = Normalizer.normalize(ascii, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return ascii.replaceAll("[^a-z0-9]+", "");
    }
}
