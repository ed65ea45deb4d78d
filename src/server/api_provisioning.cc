// HJ 212-2025 provisioning over HTTP (app/provisioning.h): GET /api/sources/pending (bureau) lists the data
// loggers seen without an MN; POST /api/sources/provision (admin; audited as sources.provision by the router)
// gives one an MN and queues the 1002 the gateway sends.
#include <stdexcept>
#include <string>

#include "app/clock.h"
#include "app/provisioning.h"
#include "server/api.h"

namespace ecomon::server {
namespace {

StatusOr<ApiReply> pending(ApiContext& ctx, const ApiRequest& req) {
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  auto rows = app::pending_devices(**stores, req.actor);
  if (!rows.ok()) return rows.status();
  json items = json::array();
  for (const PendingDevice& d : *rows) items.push_back(app::pending_device_json(d));
  return items_reply(std::move(items));
}

StatusOr<ApiReply> provision(ApiContext& ctx, const ApiRequest& req) {
  auto body = parse_body(req.body, {"pending_id", "mn"}, {"protocol", "enterprise", "outlet", "county"});
  if (!body.ok()) return body.status();
  const json& b = *body;
  app::ProvisionRequest r;
  const std::string id_text = b["pending_id"].get<std::string>();
  try {
    size_t used = 0;
    r.pending_id = std::stoll(id_text, &used);
    if (used != id_text.size()) throw std::invalid_argument(id_text);
  } catch (const std::exception&) {
    return failed_precondition("pending_id must be a whole number, got '" + id_text + "'");
  }
  r.mn = b["mn"].get<std::string>();
  if (b.contains("protocol")) {
    const std::string p = b["protocol"].get<std::string>();
    if (p == "auto") {
      r.protocol = kDeviceProtocolAuto;
    } else if (p == "2005" || p == "2017" || p == "2025") {
      r.protocol = std::stoi(p);
    } else {
      return failed_precondition("protocol must be 2005, 2017, 2025 or auto, got '" + p + "'");
    }
  }
  for (auto [field, to] : {std::pair{"enterprise", &r.enterprise}, std::pair{"outlet", &r.outlet},
                           std::pair{"county", &r.county}}) {
    if (b.contains(field)) *to = b[field].get<std::string>();
  }
  auto stores = ctx.stores();
  if (!stores.ok()) return stores.status();
  const int64_t now = app::now_ms();
  auto p = app::provision_pending_device(**stores, req.actor, r, now);
  if (!p.ok()) {
    if (p.status().code() == StatusCode::kInvalidArgument) return failed_precondition(p.status().message());
    return p.status();
  }
  ApiReply reply;
  reply.status = 201;
  reply.body = app::pending_device_json(p->device);
  reply.body["command_id"] = p->command.id;
  reply.audit_target = "pending " + id_text + " -> " + r.mn;
  return reply;
}

}  // namespace

void add_provisioning_routes(Router& r) {
  r.add({.method = "GET",
         .pattern = "/api/sources/pending",
         .access = Access::kBureau,
         .summary =
             "HJ 212-2025 data loggers seen without an MN (CN 1001): hardware identity, peer, first and "
             "last seen, count, the MN once assigned",
         .paged = true,
         .handler = pending});
  r.add({.method = "POST",
         .pattern = "/api/sources/provision",
         .access = Access::kAdmin,
         .summary =
             "give a pending data logger an MN (pending_id, mn; protocol, enterprise, outlet, county): "
             "registers the device and queues the 1002 the gateway sends",
         .action = "sources.provision",
         .handler = provision});
}

}  // namespace ecomon::server
