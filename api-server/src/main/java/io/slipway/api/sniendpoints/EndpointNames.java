package io.slipway.api.sniendpoints;

import java.security.SecureRandom;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Names like Heroku's ({@code stegosaurus-24829}): a dinosaur and five digits, unique on the platform (a unique
 * index backs it), matching the schema's {@code ^[a-z][a-z0-9-]{2,29}$}.
 */
@Component
class EndpointNames {
    private static final List<String> WORDS = List.of("allosaurus", "ankylosaurus", "brachiosaurus", "diplodocus",
            "gallimimus", "iguanodon", "maiasaura", "oviraptor", "pachycephalosaurus", "parasaurolophus",
            "protoceratops", "spinosaurus", "stegosaurus", "styracosaurus", "triceratops", "velociraptor");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SniEndpointRepository endpoints;

    EndpointNames(SniEndpointRepository endpoints) {
        this.endpoints = endpoints;
    }

    String fresh() {
        for (int attempt = 0; attempt < 20; attempt++) {
            String name = WORDS.get(RANDOM.nextInt(WORDS.size())) + "-" + (10000 + RANDOM.nextInt(90000));
            if (!endpoints.existsByName(name)) return name;
        }
        throw new IllegalStateException("no free SNI endpoint name after 20 attempts");
    }
}
