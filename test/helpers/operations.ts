/** The GraphQL operations the integration tests share. */
export const CREATE_INITIATIVE = `mutation($input: CreateInitiativeInput!) {
  createInitiative(input: $input) { initiative { id key } userErrors { code message field } } }`;
export const CREATE_WORKSTREAM = `mutation($input: CreateWorkstreamInput!) {
  createWorkstream(input: $input) { workstream { id name depth } userErrors { code message field } } }`;
export const UPDATE_WORKSTREAM = `mutation($input: UpdateWorkstreamInput!) {
  updateWorkstream(input: $input) { workstream { id name weight manualPercent } userErrors { code message field } } }`;
export const MOVE_WORKSTREAM = `mutation($input: MoveWorkstreamInput!) {
  moveWorkstream(input: $input) { workstream { id parent { id } } userErrors { code message field } } }`;
export const DELETE_WORKSTREAM = `mutation($input: DeleteWorkstreamInput!) {
  deleteWorkstream(input: $input) { deletedId userErrors { code message field } } }`;
export const CREATE_ITEMS = `mutation($input: CreateItemsInput!) {
  createItems(input: $input) { items { id status percent version } userErrors { code message field } } }`;
export const SET_ITEM_STATUS = `mutation($input: SetItemStatusInput!) {
  setItemStatus(input: $input) { item { id status percent version } userErrors { code message field } } }`;
export const SET_ITEM_STATUSES = `mutation($input: SetItemStatusesInput!) {
  setItemStatuses(input: $input) { items { id status percent version } userErrors { code message field } } }`;
export const DELETE_ITEM = `mutation($input: DeleteItemInput!) {
  deleteItem(input: $input) { deletedId userErrors { code message field } } }`;
export const NODE_PROGRESS = `query($id: ID!) { node(id: $id) { id ... on Workstream { progress { percent credit counted total } }
  ... on Initiative { progress { percent credit counted total } } ... on Item { status percent version } } }`;
export const UPDATE_ITEM = `mutation($input: UpdateItemInput!) {
  updateItem(input: $input) { item { id name weight note version } userErrors { code message field } } }`;
export const MOVE_ITEM = `mutation($input: MoveItemInput!) {
  moveItem(input: $input) { item { id version workstream { id } } userErrors { code message field } } }`;
export const UPDATE_INITIATIVE = `mutation($input: UpdateInitiativeInput!) {
  updateInitiative(input: $input) { initiative { id name objective phase targetDate reportLowPercentBucket archived }
    userErrors { code message field } } }`;
export const ARCHIVE_INITIATIVE = `mutation($input: ArchiveInitiativeInput!) {
  archiveInitiative(input: $input) { initiative { id key archived archivedAt } userErrors { code message field } } }`;
export const RESTORE_INITIATIVE = `mutation($input: RestoreInitiativeInput!) {
  restoreInitiative(input: $input) { initiative { id key archived archivedAt } userErrors { code message field } } }`;
