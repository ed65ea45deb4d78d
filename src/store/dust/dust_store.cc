#include "store/dust/dust_store.h"

#include "store/dust/dust_store_impl.h"

namespace ecomon {

template class SqlDustStore<SqliteSql>;

}  // namespace ecomon
