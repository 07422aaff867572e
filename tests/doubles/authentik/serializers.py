# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects -> JSON in the key order and shapes of authentik's serializers (per dialect)."""

from __future__ import annotations

from .store import iso

AVATAR = "/static/dist/assets/images/user_default.png"
SCOPE_COMPONENT = "ak-property-mapping-provider-scope-form"


def user_partial(store, user):
    return {"pk": user["pk"], "username": user["username"], "name": user["name"], "is_active": user["is_active"],
            "last_login": iso(user["last_login"]), "email": user["email"], "attributes": user["attributes"],
            "uid": store.uid(user)}


def group_partial(group):
    return {"pk": group["pk"], "num_pk": group["num_pk"], "name": group["name"],
            "is_superuser": group["is_superuser"], "attributes": group["attributes"]}


def related_group(group):
    return {"pk": group["pk"], "name": group["name"], "is_superuser": group["is_superuser"],
            "attributes": group["attributes"], "group_uuid": group["pk"]}


def user_full(store, user):
    groups = [store.groups[g] for g in user["groups"] if g in store.groups]
    return {
        "pk": user["pk"], "username": user["username"], "name": user["name"], "is_active": user["is_active"],
        "last_login": iso(user["last_login"]), "date_joined": iso(user["date_joined"]),
        "is_superuser": store.is_superuser(user),
        "groups": [g["pk"] for g in groups], "groups_obj": [group_partial(g) for g in groups],
        "roles": [], "roles_obj": [], "email": user["email"], "avatar": AVATAR, "attributes": user["attributes"],
        "uid": store.uid(user), "path": user["path"], "type": user["type"], "uuid": user["uuid"],
        "password_change_date": iso(user["password_change_date"]), "last_updated": iso(user["last_updated"]),
    }


def user_self(store, user):
    superuser = store.is_superuser(user)
    groups = [store.groups[g] for g in user["groups"] if g in store.groups]
    out = {"pk": user["pk"], "username": user["username"], "name": user["name"], "is_active": user["is_active"],
           "is_superuser": superuser}
    if store.dialect.users_me_users:
        out["is_current"] = True
    out.update({
        "groups": [{"name": g["name"], "pk": g["pk"]} for g in groups], "roles": [],
        "email": user["email"], "avatar": AVATAR, "uid": store.uid(user), "settings": {}, "type": user["type"],
        "system_permissions": SYSTEM_PERMISSIONS if superuser else [],
    })
    return out


SYSTEM_PERMISSIONS = [
    "change_role", "view_system_settings", "view_system_info", "access_admin_interface", "view_initialpermissions",
    "view_role", "add_initialpermissions", "delete_role", "change_initialpermissions", "assign_role_permissions",
    "delete_initialpermissions", "add_role", "view_media_files", "unassign_role_permissions", "manage_media_files",
    "edit_system_settings",
]


def _flag(query, name, default):
    values = query.get(name)
    if not values:
        return default
    return str(values[-1]).lower() == "true"


def group_full(store, group, query):
    d = store.dialect
    members = store.group_members(group["pk"])
    out = {"pk": group["pk"], "num_pk": group["num_pk"], "name": group["name"], "is_superuser": group["is_superuser"]}
    parents = [store.groups[p] for p in group["parents"] if p in store.groups]
    if d.group_parents:
        out["parents"] = [p["pk"] for p in parents]
        out["parents_obj"] = [related_group(p) for p in parents] if _flag(query, "include_parents", False) else None
    else:
        out["parent"] = parents[0]["pk"] if parents else None
        out["parent_name"] = parents[0]["name"] if parents else None
    out["users"] = [u["pk"] for u in members]
    out["users_obj"] = [user_partial(store, u) for u in members] if _flag(query, "include_users", True) else None
    out["attributes"] = group["attributes"]
    out["roles"] = []
    out["roles_obj"] = []
    if d.group_parents:
        out["inherited_roles_obj"] = [] if _flag(query, "include_inherited_roles", False) else None
    if d.group_children:
        children = [g for g in sorted(store.groups.values(), key=lambda g: g["name"]) if group["pk"] in g["parents"]]
        out["children"] = [c["pk"] for c in children]
        out["children_obj"] = [related_group(c) for c in children] if _flag(query, "include_children", False) else None
    return out


def token(store, tok):
    user = store.users.get(tok["user"])
    return {"pk": tok["pk"], "managed": tok["managed"], "identifier": tok["identifier"], "intent": tok["intent"],
            "user": tok["user"], "user_obj": user_full(store, user) if user else None,
            "description": tok["description"], "expires": iso(tok["expires"]), "expiring": tok["expiring"]}


def flow(fl):
    return {
        "pk": fl["pk"], "policybindingmodel_ptr_id": fl["pbm_uuid"], "name": fl["name"], "slug": fl["slug"],
        "title": fl["title"], "designation": fl["designation"], "background": fl["background"],
        "background_url": fl["background"] or "/static/dist/assets/images/flow_background.jpg",
        "background_themed_urls": None, "stages": list(fl["stages"]), "policies": list(fl.get("policies", [])),
        "cache_count": 0,
        "policy_engine_mode": fl["policy_engine_mode"], "compatibility_mode": fl["compatibility_mode"],
        "export_url": "/api/v3/flows/instances/%s/export/" % fl["slug"], "layout": fl["layout"],
        "denied_action": fl["denied_action"], "authentication": fl["authentication"],
    }


def keypair(store, kp):
    material = kp["material"]
    base = "/api/v3/crypto/certificatekeypairs/%s/" % kp["pk"]
    out = {"pk": kp["pk"], "name": kp["name"], "fingerprint_sha256": material.fingerprint_sha256,
           "fingerprint_sha1": material.fingerprint_sha1, "cert_expiry": material.expiry,
           "cert_subject": material.subject, "private_key_available": bool(material.key_pem)}
    if store.dialect.key_type:
        out["key_type"] = material.key_type
    else:
        old_names = {"ec": "ecdsa"}
        out["private_key_type"] = old_names.get(material.key_type, material.key_type) if material.key_pem else None
    out.update({"certificate_download_url": base + "view_certificate/?download",
                "private_key_download_url": base + "view_private_key/?download", "managed": kp["managed"]})
    return out


def mapping_generic(mapping):
    return {k: mapping[k] for k in ("pk", "managed", "name", "expression", "component", "verbose_name",
                                    "verbose_name_plural", "meta_model_name")}


def scope_mapping(mapping):
    out = mapping_generic(mapping)
    out["scope_name"] = mapping["scope_name"]
    out["description"] = mapping["description"]
    return out


def ordered_mappings(store, pks):
    """M2M read-back in server order (creation order of the mappings), not request order."""
    return [m["pk"] for m in sorted((store.mappings[p] for p in pks if p in store.mappings), key=lambda m: m["seq"])]


def provider_generic(store, provider):
    app = store.application_for_provider(provider["pk"])
    d = store.dialect
    out = {"pk": provider["pk"], "name": provider["name"], "authentication_flow": provider["authentication_flow"],
           "authorization_flow": provider["authorization_flow"]}
    if d.invalidation_flow:
        out["invalidation_flow"] = provider["invalidation_flow"]
    out.update({
        "property_mappings": ordered_mappings(store, provider["property_mappings"]),
        "component": "ak-provider-oauth2-form",
        "assigned_application_slug": app["slug"] if app else None,
        "assigned_application_name": app["name"] if app else None,
        "assigned_backchannel_application_slug": None,
        "assigned_backchannel_application_name": None,
        "verbose_name": "OAuth2/OpenID Provider",
        "verbose_name_plural": "OAuth2/OpenID Providers",
        "meta_model_name": "authentik_providers_oauth2.oauth2provider",
    })
    return out


def redirect_uris_out(store, provider):
    if not store.dialect.redirect_uris_list:
        return "\n".join(entry["url"] for entry in provider["redirect_uris"])
    out = []
    for entry in provider["redirect_uris"]:
        item = {"matching_mode": entry["matching_mode"], "url": entry["url"]}
        if store.dialect.redirect_uri_type:
            item["redirect_uri_type"] = entry.get("redirect_uri_type", "authorization")
        out.append(item)
    return out


def provider_full(store, provider):
    d = store.dialect
    out = provider_generic(store, provider)
    out["client_type"] = provider["client_type"]
    if d.grant_types:  # right after client_type (OAuth2ProviderSerializer.Meta.fields)
        out["grant_types"] = list(provider["grant_types"])
    out.update({"client_id": provider["client_id"],
                "client_secret": provider["client_secret"],
                "access_code_validity": provider["access_code_validity"],
                "access_token_validity": provider["access_token_validity"],
                "refresh_token_validity": provider["refresh_token_validity"]})
    if d.refresh_token_threshold:
        out["refresh_token_threshold"] = provider["refresh_token_threshold"]
    out["include_claims_in_id_token"] = provider["include_claims_in_id_token"]
    out["signing_key"] = provider["signing_key"]
    if d.encryption_key:
        out["encryption_key"] = provider["encryption_key"]
    out["redirect_uris"] = redirect_uris_out(store, provider)
    if d.backchannel_logout_uri:
        out["backchannel_logout_uri"] = provider["logout_uri"]
    if d.logout_uri:
        out["logout_uri"] = provider["logout_uri"]
        out["logout_method"] = provider["logout_method"]
    out["sub_mode"] = provider["sub_mode"]
    out["issuer_mode"] = provider["issuer_mode"]
    if d.jwt_federation:
        out["jwt_federation_sources"] = list(provider["jwt_federation_sources"])
        out["jwt_federation_providers"] = list(provider["jwt_federation_providers"])
    else:
        out["jwks_sources"] = list(provider["jwt_federation_sources"])
    return out


def launch_url(store, app):
    if app["meta_launch_url"]:
        return app["meta_launch_url"]
    provider = store.providers.get(app["provider"]) if app["provider"] is not None else None
    if provider is None:
        return None
    # OAuth2Provider.launch_url: scheme and host of the first redirect URI
    for entry in provider["redirect_uris"]:
        if entry.get("matching_mode", "strict") == "strict" and "://" in entry["url"]:
            scheme, dummy, rest = entry["url"].partition("://")
            return "%s://%s" % (scheme, rest.split("/")[0])
    return None


def application(store, app):
    d = store.dialect
    provider = store.providers.get(app["provider"]) if app["provider"] is not None else None
    out = {"pk": app["pk"]}
    if d.pbm_uuid:
        out["pbm_uuid"] = app["pk"]  # Application is a PolicyBindingModel child: its pk is the pbm_uuid
    out.update({"name": app["name"], "slug": app["slug"], "provider": app["provider"],
                "provider_obj": provider_generic(store, provider) if provider else None,
                "backchannel_providers": [], "backchannel_providers_obj": [],
                "launch_url": launch_url(store, app), "open_in_new_tab": app["open_in_new_tab"],
                "meta_launch_url": app["meta_launch_url"],
                "meta_icon": app["meta_icon"] if d.meta_icon_writable else None})
    if d.meta_icon_writable:
        out["meta_icon_url"] = None
    if d.meta_icon_themed_urls or d.meta_icon_writable:
        out["meta_icon_themed_urls"] = None
    out.update({"meta_description": app["meta_description"], "meta_publisher": app["meta_publisher"],
                "policy_engine_mode": app["policy_engine_mode"], "group": app["group"]})
    if d.meta_hide:  # last, after group (ApplicationSerializer.Meta.fields)
        out["meta_hide"] = app["meta_hide"]
    return out


def binding(store, bind):
    group = store.groups.get(bind["group"]) if bind["group"] else None
    user = store.users.get(bind["user"]) if bind["user"] is not None else None
    if store.dialect.binding_partial_objs:
        group_obj = group_partial(group) if group else None
        user_obj = user_partial(store, user) if user else None
    else:
        group_obj = group_full(store, group, {}) if group else None
        user_obj = user_full(store, user) if user else None
    out = {"pk": bind["pk"], "policy": bind["policy"], "group": bind["group"], "user": bind["user"],
           "policy_obj": None, "group_obj": group_obj, "user_obj": user_obj, "target": bind["target"],
           "negate": bind["negate"], "enabled": bind["enabled"], "order": bind["order"],
           "timeout": bind["timeout"], "failure_result": bind["failure_result"]}
    if store.dialect.expiring_bindings:
        out["expires"] = iso(bind.get("expires"))
        out["expiring"] = bool(bind.get("expiring"))
    return out
