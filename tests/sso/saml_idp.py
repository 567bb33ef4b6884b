"""A SAML 2.0 identity provider for the tests: its own key and self-signed certificate, the metadata an
administrator would paste into protutor, and signed responses to the requests protutor sends it.

It answers with what a real provider (ADFS, Shibboleth, Entra ID) sends: a `samlp:Response` signed with
RSA-SHA256 over exclusive canonical XML, holding one bearer assertion for protutor's entity ID, with the
person's address as an emailAddress NameID and as the standard email attribute."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
import zlib
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
EMAIL_ATTRIBUTE = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"


def _key_and_certificate() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test identity provider")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def _instant(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class AuthnRequest:
    id: str
    issuer: str  # protutor's entity ID
    acs_url: str


@dataclass
class SamlIdentityProvider:
    entity_id: str = "https://idp.saml.test/metadata"
    sso_url: str = "https://idp.saml.test/sso"
    key_and_certificate: tuple[str, str] = field(default_factory=_key_and_certificate)

    @property
    def certificate_body(self) -> str:
        pem = self.key_and_certificate[1]
        return "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)

    def metadata(self) -> str:
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID={quoteattr(self.entity_id)}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{self.certificate_body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location={quoteattr(self.sso_url)}/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""

    @staticmethod
    def read_request(redirect_url: str) -> AuthnRequest:
        """The AuthnRequest protutor sent with the HTTP-Redirect binding (deflated, base64, in the query)."""
        query = parse_qs(urlsplit(redirect_url).query)
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        issuer = root.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer").text
        return AuthnRequest(root.get("ID"), issuer, root.get("AssertionConsumerServiceURL"))

    def response(
        self,
        request: AuthnRequest | None,
        email: str,
        *,
        acs_url: str = "",
        audience: str = "",
        signed: bool = True,
        signed_by: SamlIdentityProvider | None = None,
        valid_for: dt.timedelta = dt.timedelta(minutes=5),
    ) -> tuple[str, str]:
        """(ACS URL, base64 SAMLResponse) answering `request`; None makes it unsolicited (IdP-initiated)."""
        now = dt.datetime.now(dt.UTC)
        acs = acs_url or request.acs_url
        in_response_to = f" InResponseTo={quoteattr(request.id)}" if request else ""
        audience = audience or (request.issuer if request else "")
        response_id, assertion_id = f"_{uuid.uuid4().hex}", f"_{uuid.uuid4().hex}"
        xml = f"""<samlp:Response xmlns:samlp="{SAMLP}" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
    ID="{response_id}" Version="2.0" IssueInstant="{_instant(now)}" Destination={quoteattr(acs)}{in_response_to}>
  <saml:Issuer>{escape(self.entity_id)}</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion ID="{assertion_id}" Version="2.0" IssueInstant="{_instant(now)}">
    <saml:Issuer>{escape(self.entity_id)}</saml:Issuer>
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{escape(email)}</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="{_instant(now + valid_for)}" Recipient={quoteattr(acs)}{in_response_to}/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="{_instant(now - dt.timedelta(minutes=1))}" NotOnOrAfter="{_instant(now + valid_for)}">
      <saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="_{uuid.uuid4().hex}">
      <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>
    </saml:AuthnStatement>
    <saml:AttributeStatement>
      <saml:Attribute Name="{EMAIL_ATTRIBUTE}"><saml:AttributeValue>{escape(email)}</saml:AttributeValue></saml:Attribute>
      <saml:Attribute Name="urn:oid:2.5.4.42"><saml:AttributeValue>Sam</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"""
        if signed:
            key, certificate = (signed_by or self).key_and_certificate
            xml = OneLogin_Saml2_Utils.add_sign(
                xml,
                key,
                certificate,
                sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
                digest_algorithm=OneLogin_Saml2_Constants.SHA256,
            ).decode()
        return acs, base64.b64encode(xml.encode()).decode()

    @staticmethod
    def tampered(saml_response: str, old: str, new: str) -> str:
        """The same signed response with one text changed after signing."""
        xml = base64.b64decode(saml_response).decode().replace(old, new)
        return base64.b64encode(xml.encode()).decode()
