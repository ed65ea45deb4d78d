// `ecomon sources key init-master|issue|list`: HJ 212-2025 device session keys (app/source_keys.h), sealed in
// the store under the master key (accounts/key_vault.h). Issuing is bureau only and audited (the audit entry
// names the device and the key's serial, never the key).
//
//   ecomon sources key init-master --out /etc/ecomon/master.key      # once; keep it apart from the store
//   export ECOMON_MASTER_KEY_FILE=/etc/ecomon/master.key
//   ecomon sources key issue 010000A8900016F000169DC0 --as wang --out dev.key   # or printed once on stdout
//   ecomon sources key list --mn 010000A8900016F000169DC0
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "app/clock.h"
#include "app/source_keys.h"
#include "cli/cli_actor.h"
#include "cli/source_registry_commands.h"
#include "core/json_text.h"
#include "core/text_table.h"
#include "ingest/hj212/encoder.h"
#include "store/open.h"

namespace ecomon::cli {
namespace {

int fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return kExitFailed;
}

std::string time_text(int64_t ms) {
  constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;
  return hj212::Timestamp::from_civil_ms(ms + kBeijingOffsetMs).to_iso();
}

// The key's file, created (mode 0600, never an existing file) before the key is issued so that a key is
// never stored that could not be handed over; removed again when issuing fails.
class KeyFile {
 public:
  static StatusOr<std::unique_ptr<KeyFile>> create(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return failed_precondition("cannot create " + path + ": " + std::strerror(errno));
    return std::unique_ptr<KeyFile>(new KeyFile(path, fd));
  }
  ~KeyFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }
  Status write(const std::string& key) {
    const std::string text = key + "\n";
    const bool ok =
        ::write(fd_, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd_) == 0;
    const bool closed = ::close(fd_) == 0;
    fd_ = -1;
    if (!ok || !closed) return failed_precondition("cannot write " + path_);
    kept_ = true;
    return Status();
  }

 private:
  KeyFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
  bool kept_ = false;
};

struct IssueOpts {
  std::string mn, as_user, out, key, master_file;
  double grace_hours = 24;
  std::string format = "table";
};

int run_issue(const std::string& db, const IssueOpts& o) {
  auto master = o.master_file.empty() ? MasterKey::load_default() : MasterKey::load(o.master_file);
  if (!master.ok()) return fail(master.status());
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto actor = cli_actor(**stores, o.as_user);
  if (!actor.ok()) return fail(actor.status());
  app::IssueKeyRequest req{.mn = o.mn, .grace_ms = static_cast<int64_t>(o.grace_hours * 3600 * 1000)};
  if (!o.key.empty()) req.key = o.key;
  std::unique_ptr<KeyFile> file;
  if (!o.out.empty()) {
    auto f = KeyFile::create(o.out);
    if (!f.ok()) return fail(f.status());
    file = std::move(*f);
  }
  auto issued = app::issue_device_key(**stores, *actor, *master, req, app::now_ms());
  Status written;
  if (issued.ok() && file) written = file->write(issued->key);
  AuditEntry e{.user = actor->user,
               .role = std::string(role_name(actor->role)),
               .action = "sources.key.issue",
               .target = o.mn,
               .outcome = audit_outcome(issued.status()),
               .detail = issued.ok() ? "serial " + std::to_string(issued->serial) : issued.status().message(),
               .via = "cli"};
  if (Status a = (*stores)->accounts().audit(e); !a.ok()) return fail(a);
  if (!issued.ok()) return fail(issued.status());
  if (!written.ok()) {
    return fail(
        Status(written.code(), written.message() + " (key serial " + std::to_string(issued->serial) +
                                   " is stored and current: issue another to get a key you can keep)"));
  }
  const std::string grace = issued->previous_valid_until_ms ? "; the previous key is valid until " +
                                                                  time_text(*issued->previous_valid_until_ms)
                                                            : "";
  if (o.format == "json") {
    nlohmann::json j{
        {"mn", issued->mn}, {"serial", issued->serial}, {"issued", time_text(issued->issued_ms)}};
    if (issued->previous_valid_until_ms)
      j["previous_valid_until"] = time_text(*issued->previous_valid_until_ms);
    if (o.out.empty())
      j["key"] = issued->key;
    else
      j["key_file"] = o.out;
    std::cout << json_text(j, 2) << "\n";
  } else if (o.out.empty()) {
    std::cout << "key " << issued->serial << " of " << issued->mn << " (shown once): " << issued->key << grace
              << "\n";
  } else {
    std::cout << "key " << issued->serial << " of " << issued->mn << " written to " << o.out << grace << "\n";
  }
  return 0;
}

struct ListOpts {
  std::string mn, as_user, format = "table";
};

int run_list_keys(const std::string& db, const ListOpts& o) {
  auto stores = open_stores(db);
  if (!stores.ok()) return fail(stores.status());
  auto actor = cli_actor(**stores, o.as_user);
  if (!actor.ok()) return fail(actor.status());
  auto keys = app::device_keys(**stores, *actor, o.mn, app::now_ms());
  if (!keys.ok()) return fail(keys.status());
  if (o.format == "json") {
    nlohmann::json items = nlohmann::json::array();
    for (const app::DeviceKeyInfo& k : *keys) {
      items.push_back(
          {{"mn", k.mn},
           {"serial", k.serial},
           {"issued", time_text(k.issued_ms)},
           {"issued_by", k.issued_by},
           {"valid_until", k.valid_until_ms ? nlohmann::json(time_text(*k.valid_until_ms)) : nullptr},
           {"state", k.state}});
    }
    std::cout << json_text(nlohmann::json{{"keys", items}}, 2) << "\n";
    return 0;
  }
  TextTable t({"MN", "#", "签发", "签发人", "有效至", "状态"});
  for (const app::DeviceKeyInfo& k : *keys) {
    t.add({k.mn, std::to_string(k.serial), time_text(k.issued_ms), k.issued_by,
           k.valid_until_ms ? time_text(*k.valid_until_ms) : "-", k.state});
  }
  std::cout << t.render();
  return 0;
}

}  // namespace

StatusOr<DeviceKeyOpener> gateway_key_opener() {
  if (std::getenv("ECOMON_MASTER_KEY_FILE") == nullptr && std::getenv("ECOMON_MASTER_KEY") == nullptr) {
    std::cerr
        << "gateway: no master key (ECOMON_MASTER_KEY_FILE, ECOMON_MASTER_KEY): device session keys are "
           "not loaded, encrypted HJ 212-2025 data areas are refused\n";
    return DeviceKeyOpener();
  }
  auto master = MasterKey::load_default();
  if (!master.ok()) return master.status();
  return DeviceKeyOpener([m = *master](const std::string& mn, const std::string& sealed) {
    return open_device_key(m, mn, sealed);
  });
}

Status issue_sim_keys(Stores& stores, const std::vector<DeviceRecord>& devices, const std::string& key) {
  if (std::getenv("ECOMON_MASTER_KEY_FILE") == nullptr && std::getenv("ECOMON_MASTER_KEY") == nullptr) {
    std::cerr << "hj212-sim: no master key set: --key not issued to the devices (sources key issue does)\n";
    return Status();
  }
  auto master = MasterKey::load_default();
  if (!master.ok()) return master.status();
  auto actor = cli_actor(stores, "");
  if (!actor.ok()) return actor.status();
  for (const DeviceRecord& d : devices) {
    auto issued = app::issue_device_key(stores, *actor, *master, {.mn = d.mn, .key = key}, app::now_ms());
    AuditEntry e{
        .user = actor->user,
        .role = std::string(role_name(actor->role)),
        .action = "sources.key.issue",
        .target = d.mn,
        .outcome = audit_outcome(issued.status()),
        .detail = issued.ok() ? "serial " + std::to_string(issued->serial) : issued.status().message(),
        .via = "hj212-sim"};
    ECOMON_RETURN_IF_ERROR(stores.accounts().audit(e));
    if (!issued.ok()) return issued.status();
  }
  return Status();
}

void register_source_keys(CLI::App* sources_cmd, GlobalOptions& global) {
  CLI::App* key =
      sources_cmd->add_subcommand("key", "HJ 212-2025 device session keys (SM4), sealed in the store");
  key->require_subcommand(1);

  auto master_out = std::make_shared<std::string>();
  CLI::App* init = key->add_subcommand("init-master", "create the master key file that seals device keys");
  init->add_option("--out", *master_out, "the new file (mode 0600; never overwritten)")->required();
  init->callback([master_out] {
    if (Status s = MasterKey::create_file(*master_out); !s.ok()) return set_exit_code(fail(s));
    std::cout << "master key written to " << *master_out
              << "; set ECOMON_MASTER_KEY_FILE to it, keep a copy apart from the store\n";
  });

  auto io = std::make_shared<IssueOpts>();
  CLI::App* issue =
      key->add_subcommand("issue", "issue a device's new key (the current one gets a grace time)");
  issue->add_option("MN", io->mn, "the device")->required();
  issue->add_option("--as", io->as_user, "the user issuing it (bureau: admin, analyst)");
  issue->add_option("--grace-hours", io->grace_hours, "how long the replaced key stays valid (default 24)")
      ->check(CLI::Range(0.0, 24.0 * 365));
  issue->add_option("--key", io->key, "a key chosen by hand: 16 of 0-9 A-Z a-z (default: random)");
  issue->add_option("--out", io->out, "write the key to this new file (mode 0600) instead of showing it");
  issue->add_option("--master-key", io->master_file, "master key file (default $ECOMON_MASTER_KEY_FILE)");
  issue->add_option("--format", io->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  issue->callback([io, &global] { set_exit_code(run_issue(global.db, *io)); });

  auto lo = std::make_shared<ListOpts>();
  CLI::App* list = key->add_subcommand("list", "the keys issued (never the keys themselves) and their state");
  list->add_option("--mn", lo->mn, "only this device");
  list->add_option("--as", lo->as_user, "the user asking (bureau)");
  list->add_option("--format", lo->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([lo, &global] { set_exit_code(run_list_keys(global.db, *lo)); });
}

}  // namespace ecomon::cli
