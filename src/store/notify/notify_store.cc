#include "store/notify/notify_store.h"

#include "store/notify/notify_store_impl.h"

namespace ecomon {

template class SqlNotifyStore<SqliteSql>;

}  // namespace ecomon
