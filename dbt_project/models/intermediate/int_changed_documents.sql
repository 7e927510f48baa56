-- The documents an incremental build processes: those whose build key
-- (int_document_build_keys) differs from the key recorded by the last complete build
-- (int_built_document_keys): new, changed, superseded, accepted, retired or in a group with
-- such a document, and those that vanished (their rows are deleted).  Every document on
-- `--full-refresh` or when no build was recorded.  int_built_document_keys is read by name,
-- not by ref(): it is written at the end of the build, downstream of everything.

{%- set recorded = none -%}
{%- if execute and not should_full_refresh() -%}
    {%- set recorded = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_built_document_keys') -%}
{%- endif %}

with current_keys as (

    select document_id, build_key from {{ ref('int_document_build_keys') }}

)

{%- if recorded is none %}

select document_id from current_keys

{%- else %},

recorded_keys as (

    select document_id, build_key from {{ recorded }}

)

select coalesce(current_keys.document_id, recorded_keys.document_id) as document_id
from current_keys
full outer join recorded_keys
    on current_keys.document_id = recorded_keys.document_id
where current_keys.build_key is distinct from recorded_keys.build_key

{%- endif %}
