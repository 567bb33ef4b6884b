from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """The claims of each test identity, as Entra ID or Google would send them."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "tid": "openid", "hd": "openid"}

    def get_additional_claims(self, request):
        claims = dict(settings.IDP_USERS.get(request.user.username, {}))
        claims.pop("password", None)
        return claims
