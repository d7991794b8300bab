using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Alquimia.Engine.DuckDb.Native;

internal static partial class NativeMethods
{
    /// <summary>duckdb.h "Logical Type Interface".</summary>
    internal static partial class LogicalTypes
    {
        [LibraryImport(LibraryName, EntryPoint = "duckdb_get_type_id")]
        internal static partial DuckDbType GetTypeId(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_decimal_width")]
        internal static partial byte DecimalWidth(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_decimal_scale")]
        internal static partial byte DecimalScale(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_decimal_internal_type")]
        internal static partial DuckDbType DecimalInternalType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_enum_internal_type")]
        internal static partial DuckDbType EnumInternalType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_enum_dictionary_size")]
        internal static partial uint EnumDictionarySize(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_enum_dictionary_value")]
        [return: MarshalUsing(typeof(CallerOwnedStringMarshaller))]
        internal static partial string EnumDictionaryValue(DuckDbLogicalTypeHandle type, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_list_type_child_type")]
        internal static partial DuckDbLogicalTypeHandle ListTypeChildType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_array_type_child_type")]
        internal static partial DuckDbLogicalTypeHandle ArrayTypeChildType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_array_type_array_size")]
        internal static partial ulong ArrayTypeArraySize(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_map_type_key_type")]
        internal static partial DuckDbLogicalTypeHandle MapTypeKeyType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_map_type_value_type")]
        internal static partial DuckDbLogicalTypeHandle MapTypeValueType(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_struct_type_child_count")]
        internal static partial ulong StructTypeChildCount(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_struct_type_child_name")]
        [return: MarshalUsing(typeof(CallerOwnedStringMarshaller))]
        internal static partial string StructTypeChildName(DuckDbLogicalTypeHandle type, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_struct_type_child_type")]
        internal static partial DuckDbLogicalTypeHandle StructTypeChildType(DuckDbLogicalTypeHandle type, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_union_type_member_count")]
        internal static partial ulong UnionTypeMemberCount(DuckDbLogicalTypeHandle type);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_union_type_member_name")]
        [return: MarshalUsing(typeof(CallerOwnedStringMarshaller))]
        internal static partial string UnionTypeMemberName(DuckDbLogicalTypeHandle type, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_union_type_member_type")]
        internal static partial DuckDbLogicalTypeHandle UnionTypeMemberType(DuckDbLogicalTypeHandle type, ulong index);

        [LibraryImport(LibraryName, EntryPoint = "duckdb_destroy_logical_type")]
        internal static partial void DestroyLogicalType(ref nint type);
    }
}
