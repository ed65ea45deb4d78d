#include "store/soil/soil_store.h"

#include "store/soil/soil_store_impl.h"

namespace ecomon {

template class SqlSoilStore<SqliteSql>;

}  // namespace ecomon
