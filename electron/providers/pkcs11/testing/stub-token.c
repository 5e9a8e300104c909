/* A deliberately misbehaving PKCS#11 module for tests: one token whose user PIN is locked or on
 * its final try, or whose slot list hangs while a file exists (a stuck network HSM). SoftHSM2
 * has no PIN retry counter, so these states cannot be produced with it. Built by the tests with
 * gcc against pkcs11js's copy of the OASIS headers; STUB_MODE selects the behaviour. */
#define CK_PTR *
#define CK_DECLARE_FUNCTION(returnType, name) returnType name
#ifndef NULL_PTR
#define NULL_PTR 0
#endif
#include "pkcs11.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MODE_LOCKED 1
#define MODE_FINAL_TRY 2
#define MODE_HANG 3

static CK_FUNCTION_LIST functions;

static void pad(CK_UTF8CHAR *out, const char *text, size_t size) {
  memset(out, ' ', size);
  memcpy(out, text, strlen(text) < size ? strlen(text) : size);
}

static CK_RV unsupported(void) { return CKR_FUNCTION_NOT_SUPPORTED; }
static CK_RV initialize(CK_VOID_PTR args) { (void)args; return CKR_OK; }
static CK_RV finalize(CK_VOID_PTR reserved) { (void)reserved; return CKR_OK; }

static CK_RV get_info(CK_INFO_PTR info) {
  memset(info, 0, sizeof(*info));
  info->cryptokiVersion.major = 2;
  info->cryptokiVersion.minor = 40;
  pad(info->manufacturerID, "MazeVault test stub", 32);
  pad(info->libraryDescription, "stub token", 32);
  return CKR_OK;
}

static CK_RV get_slot_list(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
  (void)present;
  if (STUB_MODE == MODE_HANG) {
    const char *file = getenv("MAZEVAULT_STUB_HANG_FILE");
    while (file && access(file, F_OK) == 0) usleep(20000);
  }
  if (list) list[0] = 7;
  *count = 1;
  return CKR_OK;
}

static CK_RV get_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info) {
  (void)slot;
  memset(info, 0, sizeof(*info));
  pad(info->slotDescription, "stub slot", 64);
  pad(info->manufacturerID, "MazeVault", 32);
  info->flags = CKF_TOKEN_PRESENT;
  return CKR_OK;
}

static CK_RV get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  (void)slot;
  memset(info, 0, sizeof(*info));
  pad(info->label, "Stub Token", 32);
  pad(info->manufacturerID, "MazeVault", 32);
  pad(info->model, "stub", 16);
  pad(info->serialNumber, "STUB0001", 16);
  info->flags = CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED;
  if (STUB_MODE == MODE_LOCKED) info->flags |= CKF_USER_PIN_LOCKED;
  if (STUB_MODE == MODE_FINAL_TRY) info->flags |= CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY;
  info->ulMinPinLen = 4;
  info->ulMaxPinLen = 64;
  return CKR_OK;
}

static CK_RV open_session(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
                          CK_SESSION_HANDLE_PTR session) {
  (void)slot; (void)flags; (void)app; (void)notify;
  *session = 1;
  return CKR_OK;
}

static CK_RV close_session(CK_SESSION_HANDLE session) { (void)session; return CKR_OK; }
static CK_RV logout(CK_SESSION_HANDLE session) { (void)session; return CKR_USER_NOT_LOGGED_IN; }

static CK_RV login(CK_SESSION_HANDLE session, CK_USER_TYPE type, CK_UTF8CHAR_PTR pin, CK_ULONG length) {
  (void)session; (void)type; (void)pin; (void)length;
  return STUB_MODE == MODE_LOCKED ? CKR_PIN_LOCKED : CKR_PIN_INCORRECT;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out) {
  void **slots = (void **)&functions.C_Initialize;
  size_t count = (sizeof(functions) - sizeof(functions.version)) / sizeof(void *);
  for (size_t i = 0; i < count; i++) slots[i] = (void *)unsupported;
  functions.version.major = 2;
  functions.version.minor = 40;
  functions.C_Initialize = initialize;
  functions.C_Finalize = finalize;
  functions.C_GetInfo = get_info;
  functions.C_GetFunctionList = C_GetFunctionList;
  functions.C_GetSlotList = get_slot_list;
  functions.C_GetSlotInfo = get_slot_info;
  functions.C_GetTokenInfo = get_token_info;
  functions.C_OpenSession = open_session;
  functions.C_CloseSession = close_session;
  functions.C_Login = login;
  functions.C_Logout = logout;
  *out = &functions;
  return CKR_OK;
}
