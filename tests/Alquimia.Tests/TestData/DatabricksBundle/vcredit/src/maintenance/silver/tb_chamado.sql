-- the maintenance of silver.tb_chamado, written by `alquimia deploy databricks` from models/silver/tb_chamado.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

OPTIMIZE silver.tb_chamado;

VACUUM silver.tb_chamado;

OPTIMIZE silver.tb_chamado_invalidos;

VACUUM silver.tb_chamado_invalidos;
