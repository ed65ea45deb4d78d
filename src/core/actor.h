// Actor: who is asking. Every write in the platform (a task's status, a warning, a device) takes the Actor
// that asks for it, and the module that owns the data decides whether that actor may do it. The accounts
// module (users, password hashes, sessions, API tokens) turns a login or a token into an Actor; the CLI, run
// by the bureau's own operators on the server, acts as `Actor::operator_cli()` unless told `--as USER`.
//
//   Actor a{"zhang", Role::kCounty, "泽州县", ""};
//   if (!a.may_write_county("高平市")) return permission_denied(...);
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ecomon {

// The roles of issue 8: 管理员, 局分析人员, 区县用户 (own county only), 企业用户 (own enterprise only), 公众
// (read only).
enum class Role { kAdmin, kAnalyst, kCounty, kEnterprise, kPublic };

inline std::string_view role_name(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kAnalyst:
      return "analyst";
    case Role::kCounty:
      return "county";
    case Role::kEnterprise:
      return "enterprise";
    case Role::kPublic:
      return "public";
  }
  return "public";
}

inline std::optional<Role> parse_role(std::string_view s) {
  for (Role r : {Role::kAdmin, Role::kAnalyst, Role::kCounty, Role::kEnterprise, Role::kPublic})
    if (role_name(r) == s) return r;
  return std::nullopt;
}

struct Actor {
  std::string user;  // login name, as recorded in history and audit rows
  Role role = Role::kPublic;
  std::string county;      // for kCounty: the county (区县) the user belongs to
  std::string enterprise;  // for kEnterprise: the enterprise id the user belongs to

  // The bureau's operator at the server's own console (the CLI without --as).
  static Actor operator_cli() { return Actor{"cli", Role::kAdmin, "", ""}; }

  bool is_bureau() const { return role == Role::kAdmin || role == Role::kAnalyst; }
  // Whether this actor may change data that belongs to `county` (empty: city-level data, bureau only).
  bool may_write_county(std::string_view c) const {
    if (is_bureau()) return true;
    return role == Role::kCounty && !c.empty() && c == county;
  }
  // Whether this actor may see or change data of enterprise `id`.
  bool may_access_enterprise(std::string_view id, std::string_view enterprise_county) const {
    if (is_bureau()) return true;
    if (role == Role::kCounty) return !county.empty() && enterprise_county == county;
    return role == Role::kEnterprise && !enterprise.empty() && id == enterprise;
  }
};

}  // namespace ecomon
