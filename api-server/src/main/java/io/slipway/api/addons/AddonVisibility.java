package io.slipway.api.addons;

/** The JPQL of the add-on listings' visibility, in one place: the apps an account owns or collaborates on. */
final class AddonVisibility {
    /** The ids of the apps {@code :account} owns or collaborates on (the rule of {@code AppRepository.findVisibleTo}). */
    static final String APPS_OF_ACCOUNT = "(select ap.id from App ap where ap.ownerId = :account or ap.id in "
            + "(select c.appId from Collaborator c where c.accountId = :account))";

    private AddonVisibility() {}
}
