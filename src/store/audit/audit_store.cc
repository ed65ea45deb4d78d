#include "store/audit/audit_store.h"

#include "store/audit/audit_store_impl.h"

namespace ecomon {

template class SqlAuditStore<SqliteSql>;

}  // namespace ecomon
